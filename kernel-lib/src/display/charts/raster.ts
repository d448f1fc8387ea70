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
  /**
   * The stimulus over a trial, drawn behind the spikes as a grey band: time from the trial start (s) and the light
   * level scaled to [0, 1] (e.g. {@link meanTrialStimulus} of the light reference). Optional.
   */
  stimulus?: readonly { t: number; level: number }[];
}

/** Points of a trial-averaged stimulus trace at most. */
const MAX_STIMULUS_POINTS = 400;

/**
 * The light reference averaged over the trials of a movie and scaled to [0, 1]: what the stimulus did, in the
 * raster's and PSTH's time (seconds from the trial start). `trace` is sampled at `traceRateHz`; trial bounds are in
 * samples at `samplingRateHz`. Empty when no trial lies inside the trace.
 */
export function meanTrialStimulus(options: { trace: NumericArray; traceRateHz: number; trialsStartEnd: NdArray; samplingRateHz: number }): { t: number; level: number }[] {
  const starts = trialStarts(options.trialsStartEnd);
  const lengthS = Math.max(0, ...trialLengths(options.trialsStartEnd)) / options.samplingRateHz;
  const points = Math.max(2, Math.min(MAX_STIMULUS_POINTS, Math.round(lengthS * options.traceRateHz)));
  const sums = new Float64Array(points);
  const counts = new Uint32Array(points);
  for (const start of starts) {
    const first = (start / options.samplingRateHz) * options.traceRateHz;
    for (let p = 0; p < points; p++) {
      const index = Math.round(first + ((p / (points - 1)) * lengthS) * options.traceRateHz);
      const value = index >= 0 && index < options.trace.length ? Number(options.trace[index]) : Number.NaN;
      if (Number.isFinite(value)) (sums[p] += value), (counts[p] += 1);
    }
  }
  const means = Array.from(sums, (sum, p) => (counts[p] > 0 ? sum / counts[p] : Number.NaN));
  const finite = means.filter(Number.isFinite);
  if (finite.length === 0) return [];
  const low = Math.min(...finite);
  const span = Math.max(...finite) - low || 1;
  const out: { t: number; level: number }[] = [];
  means.forEach((mean, p) => {
    if (Number.isFinite(mean)) out.push({ t: round((p / (points - 1)) * lengthS, 6), level: round((mean - low) / span, 3) });
  });
  return out;
}

/** The grey stimulus band behind a raster or PSTH (its own y scale, no axis), or nothing without a stimulus. */
function stimulusLayer(stimulus: TrialSpikes["stimulus"], domainS: number): ProtocolJson[] {
  if (!stimulus || stimulus.length === 0) return [];
  return [
    {
      data: { values: stimulus as unknown as ProtocolJson },
      mark: { type: "area", color: "#888888", opacity: 0.18, interpolate: "step-after" },
      encoding: {
        x: { field: "t", type: "quantitative", scale: { domain: [0, round(domainS, 6)], nice: false }, title: "time from trial start (s)" },
        y: { field: "level", type: "quantitative", scale: { domain: [0, 1] }, axis: null },
        tooltip: { value: "stimulus (light reference, mean over trials)" },
      },
    },
  ];
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
  const spikes: { [key: string]: ProtocolJson } = {
    data: { values: rows },
    mark: { type: "tick", thickness: 1 },
    encoding: {
      x: { field: "t", type: "quantitative", title: "time from trial start (s)", scale: { domain: [0, round(maxLengthS(options), 6)], nice: false } },
      // Many trials: every label would overlap the next; vega drops the ones that would.
      y: { field: "trial", type: "ordinal", title: "trial", scale: { domain: range(trialCount) }, axis: { labelOverlap: "greedy", labelFontSize: 9 } },
    },
  };
  const stimulus = stimulusLayer(options.stimulus, maxLengthS(options));
  return vegaLiteSpec(title, {
    width: 500,
    height: Math.min(400, Math.max(60, trialCount * 14)),
    ...(stimulus.length === 0 ? spikes : { layer: [...stimulus, spikes], resolve: { scale: { y: "independent" } } }),
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
  const bars: { [key: string]: ProtocolJson } = {
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
  const stimulus = stimulusLayer(options.stimulus, maxLengthS(options));
  return vegaLiteSpec(options.title ?? `PSTH (${options.binMs ?? 50} ms bins)`, {
    width: 500,
    height: 160,
    ...(stimulus.length === 0 ? bars : { layer: [...stimulus, bars], resolve: { scale: { y: "independent" } } }),
  });
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
