/**
 * The layout schema: the few known paths of the session layout (reference §2.2–§2.4) whose on-disk type is not
 * simply the in-memory type. Sample indices live in memory as `Float64Array` and on disk as the reference's
 * integer types; a handful of counters are int64 scalars on disk although JavaScript has only one number type.
 * Paths are matched segment by segment from the file root; `*` matches any one segment.
 */

/** Integer element types a rule can ask for on disk. */
export type DiskInteger = "int64" | "uint64";

export interface LayoutRule {
  readonly pattern: readonly string[];
  /**
   * `sampleIndex`: a `Float64Array` (or `NdArray` of one) of whole sample numbers, stored as `dtype`.
   * `integer`: a number or list of numbers stored as `dtype` when every value is a whole number.
   */
  readonly kind: "sampleIndex" | "integer";
  readonly dtype: DiskInteger;
}

const sectioned = ["units", "*", "spike_times_sectioned", "*"] as const;
const featureMetadata = ["units", "*", "features", "*", "metadata"] as const;

export const LAYOUT_RULES: readonly LayoutRule[] = [
  { pattern: ["units", "*", "spike_times"], kind: "sampleIndex", dtype: "uint64" },
  { pattern: [...sectioned, "full_spike_times"], kind: "sampleIndex", dtype: "int64" },
  { pattern: [...sectioned, "trials_spike_times", "*"], kind: "sampleIndex", dtype: "int64" },
  { pattern: [...sectioned, "trials_start_end"], kind: "sampleIndex", dtype: "int64" },
  { pattern: ["metadata", "frame_timestamps"], kind: "sampleIndex", dtype: "uint64" },
  { pattern: ["stimulus", "frame_times", "*"], kind: "sampleIndex", dtype: "uint64" },
  { pattern: ["stimulus", "section_time", "*"], kind: "sampleIndex", dtype: "int64" },
  { pattern: ["units", "*", "row"], kind: "integer", dtype: "int64" },
  { pattern: ["units", "*", "col"], kind: "integer", dtype: "int64" },
  { pattern: ["units", "*", "global_id"], kind: "integer", dtype: "int64" },
  { pattern: ["units", "*", "unit_num"], kind: "integer", dtype: "int64" },
  { pattern: [...sectioned, "_attrs", "n_trials"], kind: "integer", dtype: "int64" },
  { pattern: [...sectioned, "_attrs", "pre_samples"], kind: "integer", dtype: "int64" },
  { pattern: [...sectioned, "_attrs", "post_samples"], kind: "integer", dtype: "int64" },
  { pattern: [...featureMetadata, "n_spikes_used"], kind: "integer", dtype: "int64" },
  { pattern: [...featureMetadata, "n_spikes_excluded"], kind: "integer", dtype: "int64" },
  { pattern: [...featureMetadata, "filter_order"], kind: "integer", dtype: "int64" },
  { pattern: [...featureMetadata, "pre_samples"], kind: "integer", dtype: "int64" },
  { pattern: [...featureMetadata, "post_samples"], kind: "integer", dtype: "int64" },
  { pattern: [...featureMetadata, "spike_limit"], kind: "integer", dtype: "int64" },
  { pattern: [...featureMetadata, "cover_range"], kind: "integer", dtype: "int64" },
  { pattern: [...featureMetadata, "window_range"], kind: "integer", dtype: "int64" },
  { pattern: ["metadata", "section_time_repeats"], kind: "integer", dtype: "int64" },
];

/** Attribute names that hold booleans (written as int8 0/1, since h5wasm cannot create HDF5 enum types). */
export const BOOLEAN_ATTRIBUTES: ReadonlySet<string> = new Set(["stage1_completed", "cmcr_exists", "cmtr_exists"]);

/** Dataset attribute that tells how to read a dataset back when its HDF5 type alone is ambiguous. */
export const HDMEA_TYPE_ATTRIBUTE = "hdmea_type";

/** Values of {@link HDMEA_TYPE_ATTRIBUTE}. */
export const HdmeaType = {
  /** int8 0/1 that means false/true. */
  BOOL: "bool",
  /** a plain JavaScript list of numbers (not a typed array). */
  LIST: "list",
} as const;

export type HdmeaType = (typeof HdmeaType)[keyof typeof HdmeaType];

/** The rule that applies to the member at `path` (segments from the file root), if any. */
export function ruleFor(path: readonly string[]): LayoutRule | undefined {
  return LAYOUT_RULES.find(
    (rule) => rule.pattern.length === path.length && rule.pattern.every((part, i) => part === "*" || part === path[i]),
  );
}
