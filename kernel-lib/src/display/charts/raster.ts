/**
 * Raster and PSTH of one unit and one movie: the spikes of every trial aligned to the trial's start (from
 * `trials_start_end`), in seconds.
 */
import type { NdArray, NumericArray } from "../../hdf5/values";
import type { ProtocolJson, VegaLiteSpec } from "../protocol";
import { requireNdArray, requireRate, round, sortedTrials, trialLengths, trialStarts, vegaLiteSpec } from "./spec-parts";

/** The sectioned spikes of one unit and movie, as `section_spike_times` stores them. */
export interface TrialSpikes {
  /** `trials_spike_times`: trial number ("0", "1", …) → absolute spike sample indices. */
  trials: Readonly<Record<string, NumericArray>>;
  /** `trials_start_end`: trials × 2 array of [start, end) sample indices (unpadded). */
  trialsStartEnd: NdArray;
  /** Samples per second of the spike times (`metadata.acquisition_rate`). */
  samplingRateHz: number;
}

/** Options of {@link rasterSpec}. */
export interface RasterSpecOptions extends TrialSpikes {
  title?: string;
  /** Most spikes drawn; beyond it every k-th spike is drawn and the title says so. Default 5000. */
  maxPoints?: number;
}

/** Phase 1: one row per drawn spike, `{trial, t}` with t in seconds from the trial start. */
export function alignedSpikes(input: TrialSpikes, maxPoints = Infinity): { rows: { trial: number; t: number }[]; total: number; stride: number } {
  const rate = requireRate(input.samplingRateHz, "samplingRateHz");
  const startEnd = requireNdArray(input.trialsStartEnd, "trialsStartEnd", 2, "trials × 2");
  const starts = trialStarts(startEnd);
  const trials = sortedTrials(input.trials).filter((entry) => entry.trial < starts.length);
  const total = trials.reduce((sum, entry) => sum + entry.spikes.length, 0);
  const stride = total > maxPoints ? Math.ceil(total / maxPoints) : 1;
  const rows: { trial: number; t: number }[] = [];
  let index = 0;
  for (const { trial, spikes } of trials) {
    for (let i = 0; i < spikes.length; i++, index++) {
      if (index % stride !== 0) continue;
      rows.push({ trial, t: round((Number(spikes[i]) - starts[trial]) / rate, 6) });
    }
  }
  return { rows, total, stride };
}

/** Phase 2: a raster (one tick per spike, one line per trial). */
export function rasterSpec(options: RasterSpecOptions): VegaLiteSpec {
  const { rows, total, stride } = alignedSpikes(options, options.maxPoints ?? 5000);
  const trialCount = options.trialsStartEnd.shape[0];
  const title = (options.title ?? "raster") + (stride > 1 ? ` (1 in ${stride} of ${total} spikes shown)` : "");
  return vegaLiteSpec(title, {
    width: 500,
    height: Math.min(400, Math.max(60, trialCount * 14)),
    data: { values: rows },
    mark: { type: "tick", thickness: 1 },
    encoding: {
      x: { field: "t", type: "quantitative", title: "time from trial start (s)", scale: { domain: [0, round(maxLengthS(options), 6)], nice: false } },
      // Many trials: every label would overlap the next; vega drops the ones that would.
      y: { field: "trial", type: "ordinal", title: "trial", scale: { domain: range(trialCount) }, axis: { labelOverlap: "greedy", labelFontSize: 9 } },
    },
  });
}

/** Options of {@link psthSpec}. */
export interface PsthSpecOptions extends TrialSpikes {
  /** Bin width. Default 50 ms. */
  binMs?: number;
  title?: string;
}

/** Phase 1: the peri-stimulus time histogram, mean rate over trials per bin (spikes/s). */
export function psthBins(options: PsthSpecOptions): { start: number; end: number; rateHz: number }[] {
  const binS = (options.binMs ?? 50) / 1000;
  const { rows } = alignedSpikes(options);
  const trialCount = options.trialsStartEnd.shape[0];
  const binCount = Math.max(1, Math.ceil(maxLengthS(options) / binS - 1e-9));
  const counts = new Float64Array(binCount);
  for (const { t } of rows) {
    const bin = Math.floor(t / binS);
    if (bin >= 0 && bin < binCount) counts[bin]++;
  }
  const bins: { start: number; end: number; rateHz: number }[] = [];
  for (let b = 0; b < binCount; b++) {
    bins.push({ start: round(b * binS, 6), end: round((b + 1) * binS, 6), rateHz: round(counts[b] / (trialCount * binS), 5) });
  }
  return bins;
}

/** Phase 2: the PSTH as bars. */
export function psthSpec(options: PsthSpecOptions): VegaLiteSpec {
  const bins = psthBins(options);
  const body: { [key: string]: ProtocolJson } = {
    width: 500,
    height: 160,
    data: { values: bins },
    mark: { type: "rect" },
    encoding: {
      // The raster's time range, so the two charts of a unit line up.
      x: { field: "start", type: "quantitative", title: "time from trial start (s)", scale: { domain: [0, round(maxLengthS(options), 6)], nice: false } },
      x2: { field: "end" },
      y: { field: "rateHz", type: "quantitative", title: "rate (spikes/s)" },
      y2: { datum: 0 },
    },
  };
  return vegaLiteSpec(options.title ?? `PSTH (${options.binMs ?? 50} ms bins)`, body);
}

/** Length of the longest trial in seconds: the time range of the raster and the PSTH. */
function maxLengthS(input: TrialSpikes): number {
  return Math.max(0, ...trialLengths(input.trialsStartEnd)) / input.samplingRateHz;
}

function range(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(i);
  return out;
}
