/**
 * `computeQualityMetrics`: the quality metrics of every unit (quality/metrics.ts), stored as the unit's feature
 * `quality_metrics`:
 *
 *   /units/<id>/features/quality_metrics/data/{num_spikes, firing_rate, presence_ratio, isi_violations_count,
 *       isi_violations_rate, isi_violations_ratio, isi_contamination, amplitude_median}   float64 scalars
 *   /units/<id>/features/quality_metrics/metadata/{refractory_ms, censored_ms, presence_bin_s, presence_bins,
 *       duration_s}
 *
 * (the reference's feature layout, so h5py and the reference's loader read it like any feature). `unitsTable`
 * shows the metrics as columns under those names. Rejected units are skipped unless `includeRejected`.
 */
import { ConfigurationError } from "../errors";
import { isNumericArray, isSessionMap, type SessionMap, type SessionValue } from "../hdf5/values";
import { recordingDurationS } from "../arrow/units-table";
import { QUALITY_DEFAULTS, QUALITY_FEATURE, QUALITY_METRIC_NAMES, presenceRatio, unitQualityMetrics } from "../quality/metrics";
import { unitIdsForStep } from "../quality/curation";
import { messages } from "../quality/messages";
import { defineStep } from "./define-step";

/** Options of {@link computeQualityMetrics}. */
export interface ComputeQualityMetricsOptions {
  /** ISIs shorter than this are violations. Default 1.5 ms. */
  refractoryMs: number;
  /** The sorter's censored period (no second spike can be detected closer than this). Default 0 ms. */
  censoredMs: number;
  /** Presence-ratio bin length. Default 10 s. */
  presenceBinS: number;
  /** Also compute the metrics of units labelled "reject" (default false: they are skipped, with a warning). */
  includeRejected: boolean;
}

/**
 * Computes ISI violations (count, rate, Hill ratio, contamination), presence ratio, firing rate and the median
 * peak amplitude of every unit and stores them per unit; `session.unitsTable()` then shows them as columns.
 *
 * @example await computeQualityMetrics({ session, refractoryMs: 1.5 })
 */
export const computeQualityMetrics = defineStep<ComputeQualityMetricsOptions>({
  name: "compute_quality_metrics",
  requires: [
    {
      anyOf: ["load_recording", "load_recording_with_eimage_sta", "load_from_hdf5"],
      ifMissing: "warn",
      message: "Quality metrics need the sorted units: run loadRecording first.",
    },
  ],
  defaults: { ...QUALITY_DEFAULTS, includeRejected: false },
  validate: (options) => {
    for (const name of ["refractoryMs", "presenceBinS"] as const) {
      const value = options[name];
      if (!(value > 0) || !Number.isFinite(value)) throw new ConfigurationError(messages.positive(name, value));
    }
    if (!(options.censoredMs >= 0 && options.censoredMs < options.refractoryMs)) {
      throw new ConfigurationError(messages.censoredRange(options.censoredMs, options.refractoryMs));
    }
  },
  run: (context) => {
    const { session, options, warn } = context;
    if (session.unitCount === 0) return context.skip(messages.noUnits());
    const rate = scalarNumber(session.metadata.acquisition_rate);
    if (rate === null || !(rate > 0)) return context.skip(messages.noAcquisitionRate());
    const unitIds = unitIdsForStep({ session, includeRejected: options.includeRejected, stepName: "compute_quality_metrics", warn });
    const trains = new Map<string, ArrayLike<number>>();
    for (const unitId of unitIds) {
      const spikes = session.units[unitId].spike_times;
      if (isNumericArray(spikes) && !(spikes instanceof BigInt64Array || spikes instanceof BigUint64Array)) trains.set(unitId, spikes);
      else warn(messages.noSpikeTimes(unitId));
    }
    let durationS = recordingDurationS(session.metadata);
    if (durationS === null) {
      let last = 0;
      for (const spikes of trains.values()) if (spikes.length > 0) last = Math.max(last, spikes[spikes.length - 1]);
      durationS = (last + 1) / rate;
      warn(messages.noDuration(durationS));
    }
    if (durationS < 2 * options.presenceBinS) warn(messages.fewPresenceBins(durationS, options.presenceBinS));
    const presenceBins = presenceRatio({ spikeTimes: [], samplingRateHz: rate, durationS, binS: options.presenceBinS }).bins;

    const results = new Map<string, SessionMap>();
    for (const [unitId, spikeTimes] of trains) {
      const meta = session.units[unitId].unit_meta;
      const amplitudes = isSessionMap(meta) && isNumericArray(meta.peak_amplitudes) ? (meta.peak_amplitudes as ArrayLike<number>) : undefined;
      const metrics = unitQualityMetrics({
        spikeTimes,
        samplingRateHz: rate,
        durationS,
        refractoryMs: options.refractoryMs,
        censoredMs: options.censoredMs,
        presenceBinS: options.presenceBinS,
        peakAmplitudes: amplitudes,
      });
      const data: SessionMap = {};
      for (const name of QUALITY_METRIC_NAMES) data[name] = metrics[name];
      results.set(unitId, data);
    }
    const metadata: SessionMap = {
      refractory_ms: options.refractoryMs,
      censored_ms: options.censoredMs,
      presence_bin_s: options.presenceBinS,
      presence_bins: presenceBins,
      duration_s: durationS,
    };
    for (const [unitId, data] of results) session.addFeature(unitId, QUALITY_FEATURE, data, metadata);
  },
});

function scalarNumber(value: SessionValue): number | null {
  if (typeof value === "number") return value;
  if (isNumericArray(value) && value.length === 1) return Number(value[0]);
  return null;
}
