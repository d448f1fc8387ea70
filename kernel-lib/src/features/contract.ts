/**
 * The extractor contract (reference §3.9.2): what a feature extractor declares and what `extract` receives. An
 * extractor is a plain object (or a class instance) — a declaration plus one pure function — so a notebook cell can
 * write one in a few lines and register it (see `registry.ts`).
 */
import type { SessionMap } from "../hdf5/values";
import type { MapAdapter } from "./adapters";

/** How long an extractor takes per unit, for planning (documentation only, as in the reference). */
export type RuntimeClass = "fast" | "slow";

/** Documentation of one output key (not enforced, as in the reference). */
export interface FeatureOutputField {
  /** e.g. `"float32[n_frames-1]"`, `"bool"`, `"float64"`, `"str"`. */
  readonly dtype: string;
  /** e.g. `"Hz"`, `"ms"`, `"s"`; empty when unitless. */
  readonly unit?: string;
  readonly description: string;
}

/** A feature's configuration: option name → value (JSON-like values, typed arrays allowed). */
export type FeatureConfig = Readonly<Record<string, unknown>>;

/** The values one extractor returns for one unit; stored as `features/<name>/data/<key>`. */
export type FeatureValues = SessionMap;

/** What `extract` receives for one unit. */
export interface ExtractInput<Config extends object = FeatureConfig> {
  /** The unit being processed, e.g. `"unit_001"`. */
  readonly unitId: string;
  /** HDF5-like view of `session.units[unitId]` (`spike_times`, `waveform`, `spike_times_sectioned`, …). */
  readonly unit: MapAdapter;
  /** HDF5-like view of `session.stimulus`. */
  readonly stimulus: MapAdapter;
  /** HDF5-like view of `session.metadata` (`acquisition_rate`, `frame_timestamps`, …). */
  readonly metadata: MapAdapter;
  /** The extractor's `defaults` with the caller's overrides applied. */
  readonly config: Readonly<Config>;
}

/**
 * A feature extractor. `extract` must be deterministic (no unseeded randomness) and must not modify its inputs;
 * it may throw — `extractFeatures` turns a throw for one unit into the warning `Failed {feature} for {unit}: {e}`
 * and goes on with the next unit.
 *
 * @example A notebook cell:
 * const isiExtractor: FeatureExtractor<{ maxIsiMs: number }> = {
 *   name: "short_isi_fraction", version: "1.0.0", description: "Fraction of ISIs below maxIsiMs",
 *   requiredInputs: ["spike_times"], outputSchema: { fraction: { dtype: "float64", description: "…" } },
 *   runtimeClass: "fast", defaults: { maxIsiMs: 5 },
 *   extract: ({ unit, metadata, config }) => { … return { fraction }; },
 * };
 * const registration = defaultFeatureRegistry.register(isiExtractor);
 * await extractFeatures({ features: ["short_isi_fraction"], session });
 */
export interface FeatureExtractor<Config extends object = FeatureConfig> {
  /** Registry name, also the feature's name in the session (`features/<name>`). */
  readonly name: string;
  /** Stored with every result as `metadata/extractor_version`. */
  readonly version: string;
  /**
   * How the extractor reads `spike_times`, stored with every result as `metadata/spike_time_base` (e.g.
   * `"sample_index / acquisition_rate"`): the reference's extractors of the same name read them as µs.
   */
  readonly spikeTimeBase?: string;
  readonly description: string;
  /**
   * Paths that must exist before `extract` runs for a unit: relative to the unit (`"spike_times"`), or rooted at
   * `"metadata/…"` / `"stimulus/…"`. A unit missing one gets a per-unit warning instead of a call.
   */
  readonly requiredInputs: readonly string[];
  /** Output keys and their meaning. */
  readonly outputSchema: Readonly<Record<string, FeatureOutputField>>;
  readonly runtimeClass: RuntimeClass;
  /** Every configuration option with its default; the caller may override only these keys. */
  readonly defaults: Readonly<Config>;
  /**
   * Checks a merged configuration before any unit is processed; throws `ConfigurationError` naming the option.
   * Optional.
   */
  validateConfig?(config: Readonly<Config>): void;
  /** Computes the feature for one unit. */
  extract(input: ExtractInput<Config>): FeatureValues;
}

/** What the registry reports about an extractor (reference `get_metadata`). */
export interface FeatureMetadata {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly requiredInputs: readonly string[];
  readonly outputSchema: Readonly<Record<string, FeatureOutputField>>;
  readonly runtimeClass: RuntimeClass;
  readonly defaults: FeatureConfig;
}

/** The views `requiredInputs` are resolved against. */
export interface InputRoots {
  readonly unit: MapAdapter;
  readonly stimulus: MapAdapter;
  readonly metadata: MapAdapter;
}

/**
 * The required inputs of `extractor` that cannot be found (reference `validate_inputs`, but resolved against the
 * unit, `metadata/…` and `stimulus/…` instead of the file root, so `"spike_times"` works as declared).
 */
export function missingInputs(options: { extractor: Pick<FeatureExtractor<object>, "requiredInputs">; roots: InputRoots }): string[] {
  const { extractor, roots } = options;
  return extractor.requiredInputs.filter((input) => {
    const [head, ...rest] = input.split("/").filter((part) => part !== "");
    if (head === "metadata" && rest.length > 0) return !roots.metadata.hasPath(rest.join("/"));
    if (head === "stimulus" && rest.length > 0) return !roots.stimulus.hasPath(rest.join("/"));
    return !roots.unit.hasPath(input);
  });
}
