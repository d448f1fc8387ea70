/** Reading the inputs the built-in extractors share through the adapters, and checking their config options. */
import { ConfigurationError, MissingInputError } from "../../errors";
import type { MapAdapter } from "../adapters";
import { messages } from "../messages";
import { ascending } from "../spike-windows";

/** The unit's `spike_times` (sample indices) ascending; empty when the unit has none. */
export function spikeSamplesOf(unit: MapAdapter): Float64Array {
  if (!unit.has("spike_times")) return new Float64Array(0);
  return ascending(unit.dataset("spike_times").numbers());
}

/** `metadata.acquisition_rate` in Hz; `MissingInputError` when absent or not positive. */
export function acquisitionRateOf(metadata: MapAdapter): number {
  const rate = metadata.has("acquisition_rate") ? metadata.dataset("acquisition_rate").number() : Number.NaN;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new MissingInputError("metadata/acquisition_rate", messages.noRate());
  return rate;
}

/** Throws `ConfigurationError` unless `value` is a finite number above `min` (or at least `min` when inclusive). */
export function checkNumber(
  feature: string,
  option: string,
  value: unknown,
  bound: { min: number; inclusive: boolean; nullable?: boolean },
): void {
  if (value === null && bound.nullable) return;
  const ok = typeof value === "number" && Number.isFinite(value) && (bound.inclusive ? value >= bound.min : value > bound.min);
  if (!ok) {
    const rule = `a finite number ${bound.inclusive ? "≥" : ">"} ${bound.min}${bound.nullable ? " (or null)" : ""}`;
    throw new ConfigurationError(messages.configNumber(feature, option, value, rule));
  }
}

/**
 * Values of `metadata/spike_time_base`: how an extractor reads `spike_times`. The reference's extractors of the same
 * names (extractor_version "1.0.0") read them as µs although its sessions store sample indices.
 */
export const SPIKE_TIME_BASE = {
  /** Sample indices turned into time with `metadata.acquisition_rate` (baseline_127, example_feature 2.0.0). */
  SAMPLES_OVER_RATE: "sample_index / acquisition_rate",
  /** Sample indices compared with other sample indices (frame timestamps, section times: frif, step_up 2.0.0). */
  SAMPLE_INDEX: "sample_index",
} as const;
