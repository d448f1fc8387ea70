/**
 * A planted refractory-period breach, so quality metrics can be checked against a known answer: for a chosen unit,
 * about `fraction` of its spikes get a second spike 0.25–1.25 ms later (a doublet the sorter merged into the unit,
 * the typical contamination). The simulated trains otherwise keep a 2 ms dead time, so every planted spike is
 * exactly one ISI violation at any refractory period between 1.25 and 2 ms.
 */
import { ConfigurationError } from "../errors";
import { messages } from "./messages";
import { streamFor, type Random } from "./prng";
import { REFRACTORY_S, type UnitSpikes } from "./spike-model";

/** The units whose refractory period is breached, and how often. */
export interface RefractoryBreach {
  /** The unit number (1-based, `unit_NNN` in the session). */
  readonly unitNumber: number;
  /** Fraction of the unit's spikes followed by a planted second spike, in (0, 0.5]. */
  readonly fraction: number;
}

/** Lag of a planted spike after the spike it doubles, ms (inclusive range, whole samples). */
export const BREACH_LAG_MS = [0.25, 1.25] as const;

/** What was planted in one unit (recorded in the ground truth). */
export interface PlantedBreach {
  readonly fraction: number;
  /** Sample indices of the planted spikes (each is the second spike of a violating interval). */
  readonly plantedSamples: Float64Array;
}

/** Checks the `refractoryBreaches` option (default none). */
export function resolveRefractoryBreaches(value: unknown, unitCount: number): RefractoryBreach[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigurationError(messages.badBreaches(value, unitCount));
  const seen = new Set<number>();
  return value.map((entry: unknown) => {
    const { unitNumber, fraction } = (entry ?? {}) as { unitNumber?: unknown; fraction?: unknown };
    const ok =
      typeof unitNumber === "number" &&
      Number.isInteger(unitNumber) &&
      unitNumber >= 1 &&
      unitNumber <= unitCount &&
      !seen.has(unitNumber) &&
      typeof fraction === "number" &&
      fraction > 0 &&
      fraction <= 0.5;
    if (!ok) throw new ConfigurationError(messages.badBreaches(value, unitCount));
    seen.add(unitNumber);
    return { unitNumber, fraction };
  });
}

/**
 * Plants the breaches of `breaches` into the spike trains (index u ↔ `unitNumbers[u]`); other units are returned
 * unchanged. Each breach draws from its own stream, so recordings without breaches are exactly as before.
 */
export function plantRefractoryBreaches(args: {
  seed: number;
  breaches: readonly RefractoryBreach[];
  unitNumbers: readonly number[];
  spikes: readonly UnitSpikes[];
  samplingRateHz: number;
  sampleCount: number;
  marginSamples: number;
}): { spikes: UnitSpikes[]; planted: (PlantedBreach | null)[] } {
  const spikes = [...args.spikes];
  const planted: (PlantedBreach | null)[] = args.unitNumbers.map(() => null);
  for (const breach of args.breaches) {
    const u = args.unitNumbers.indexOf(breach.unitNumber);
    if (u < 0) continue;
    const result = plantBreach(spikes[u], breach.fraction, args, streamFor(args.seed, `refractory-breach-${breach.unitNumber}`));
    spikes[u] = result.spikes;
    planted[u] = { fraction: breach.fraction, plantedSamples: result.plantedSamples };
  }
  return { spikes, planted };
}

function plantBreach(
  train: UnitSpikes,
  fraction: number,
  args: { samplingRateHz: number; sampleCount: number; marginSamples: number },
  random: Random,
): { spikes: UnitSpikes; plantedSamples: Float64Array } {
  const minLag = Math.round((BREACH_LAG_MS[0] / 1000) * args.samplingRateHz);
  const maxLag = Math.round((BREACH_LAG_MS[1] / 1000) * args.samplingRateHz);
  // The gap after a planted spike stays at least the model's dead time, so it adds exactly one short interval.
  const deadSamples = Math.round(REFRACTORY_S * args.samplingRateHz) + 1;
  const original = train.spikeSamples;
  const added: number[] = [];
  for (let i = 0; i < original.length; i++) {
    const chosen = random.uniform() < fraction;
    const lag = random.integer(minLag, maxLag);
    if (!chosen) continue;
    const sample = original[i] + lag;
    const next = i + 1 < original.length ? original[i + 1] : Infinity;
    if (sample >= args.sampleCount - args.marginSamples || next - sample < deadSamples) continue;
    added.push(sample);
  }
  const plantedSamples = Float64Array.from(added);
  const merged = Float64Array.from([...original, ...added]).sort();
  const taken = new Set(added);
  const excludedSamples = train.excludedSamples.filter((sample) => !taken.has(sample));
  return { spikes: { spikeSamples: merged, excludedSamples }, plantedSamples };
}
