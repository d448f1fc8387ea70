/**
 * Self-describing files (issue 12 item 8): units and axis descriptions written as HDF5 attributes on the datasets
 * of the session layout, so that someone opening a file in h5py sees that `spike_times` are sample indices, in what
 * unit an eimage is, and which frame offsets the STA axes cover. They are derived from the data when saving (the
 * STA offsets from its `metadata/cover_range`, the eimage unit from its `metadata/unit`) and not read back: loading
 * ignores them, saving again writes them anew. The reference's own loader ignores dataset attributes.
 */
import type { SessionMap } from "./values";

/** The attribute names used. */
export const DESCRIPTION_ATTRIBUTES = {
  /** Unit of the values: `sample_index`, `us`, `s`, `Hz`, `counts`, `uV`, `cmtr_cutout`, `stimulus_value`. */
  unit: "unit",
  /** One name per dimension, outermost first. */
  axes: "axes",
  /** Offsets of the first axis relative to the spike (frames for an STA, samples for an eimage). */
  frameOffsets: "frame_offsets",
  sampleOffsets: "sample_offsets",
  /** One sentence saying what the dataset holds. */
  description: "description",
} as const;

/** Unit attribute values. */
export const VALUE_UNITS = {
  sampleIndex: "sample_index",
  microseconds: "us",
  seconds: "s",
  hertz: "Hz",
  cmtrCutout: "cmtr_cutout",
  stimulusValue: "stimulus_value",
} as const;

/** Attribute name → value for one dataset. */
export type DatasetDescription = Readonly<Record<string, string | readonly string[] | readonly number[]>>;

const SAMPLES = { [DESCRIPTION_ATTRIBUTES.unit]: VALUE_UNITS.sampleIndex };

/**
 * The description attributes of the dataset at `path` (segments from the file root), or undefined; `siblings` is the
 * map holding it (a feature's `{data, metadata}`, a unit's map, …).
 */
export function describeDataset(path: readonly string[], siblings: SessionMap | undefined): DatasetDescription | undefined {
  const [top, , child] = path;
  const name = path[path.length - 1];
  if (top === "units") {
    if (path.length === 3 && child === "spike_times") {
      return { ...SAMPLES, description: "spike times as acquisition sample indices (Peaks Timestamp µs × acquisition_rate / 1e6, rounded half to even)" };
    }
    if (path.length === 3 && child === "firing_rate_10hz") return { unit: VALUE_UNITS.hertz, description: "spikes per second in 100-ms bins from the recording start" };
    if (path.length === 3 && child === "waveform") {
      return { unit: VALUE_UNITS.cmtrCutout, axes: ["sample"], description: "mean of the included Peaks cut-outs, in the .cmtr's cut-out units" };
    }
    if (child === "spike_times_sectioned" && (name === "full_spike_times" || name === "trials_start_end" || path[path.length - 2] === "trials_spike_times")) {
      return SAMPLES;
    }
    if (child === "unit_meta" && path.length === 5 && path[3] === "peaks_data" && name === "timestamp") return { unit: VALUE_UNITS.microseconds };
    if (child === "features" && path.length === 5 && name === "data") return describeFeatureData(path[3], siblings?.metadata);
    return undefined;
  }
  if (top === "metadata" && path.length === 2 && name === "frame_timestamps") return SAMPLES;
  if (top === "metadata" && path.length === 2 && name === "frame_time") return { unit: VALUE_UNITS.seconds };
  if (top === "stimulus" && path.length === 3 && (path[1] === "frame_times" || path[1] === "section_time")) return SAMPLES;
  return undefined;
}

function describeFeatureData(feature: string, metadata: SessionMap[string]): DatasetDescription | undefined {
  const meta = typeof metadata === "object" && metadata !== null && !ArrayBuffer.isView(metadata) && !Array.isArray(metadata) ? (metadata as SessionMap) : {};
  if (feature === "eimage_sta") {
    const pre = meta.pre_samples;
    const post = meta.post_samples;
    const offsets = typeof pre === "number" && typeof post === "number" ? range(-pre, post) : undefined;
    return {
      ...(typeof meta.unit === "string" ? { unit: meta.unit } : {}),
      axes: ["sample_offset", "column", "row"],
      ...(offsets ? { sample_offsets: offsets } : {}),
      description: "mean high-pass-filtered sensor signal around the unit's spikes; sample_offsets are relative to the spike sample",
    };
  }
  if (feature.startsWith("sta_")) {
    const cover = meta.cover_range;
    const offsets = Array.isArray(cover) && cover.length === 2 && typeof cover[0] === "number" ? range(cover[0], cover[1] as number) : undefined;
    return {
      unit: VALUE_UNITS.stimulusValue,
      axes: ["frame_offset", "row", "col"],
      ...(offsets ? { frame_offsets: offsets } : {}),
      description: "mean noise-movie value (0–255) at each frame offset relative to the spike's display frame",
    };
  }
  return undefined;
}

/** start, start + 1, …, end − 1. */
function range(start: number, end: number): number[] {
  const out: number[] = [];
  for (let value = start; value < end; value++) out.push(value);
  return out;
}
