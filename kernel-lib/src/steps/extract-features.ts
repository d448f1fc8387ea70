/**
 * `extractFeatures` (reference §3.8.1): runs registered feature extractors over every unit and stores each result
 * as `units.<id>.features.<name> = {data, metadata: {extractor_version, extracted_at, params_hash}}`.
 *
 *   check options and extractor configs → (prerequisite: a loaded recording, else ConfigurationError) →
 *   per feature: look up → skip if cached → extract every unit → then store all results
 *
 * As in the reference: an unknown feature becomes a warning listing the known names, one unit failing becomes
 * `Failed {feature} for {unit}: {e}` and the other units go on, and a feature that every unit already has is
 * skipped unless `force` (if only some units have it, all are recomputed). Differences: `config` is keyed by
 * feature name (the reference handed one flat map to every extractor), config options are checked before
 * anything runs, and a cached feature must also match the extractor version and the config's `params_hash`.
 */
import { ConfigurationError, HdmeaError } from "../errors";
import { findUnstorable, isSessionMap, markScalarInteger, type SessionMap } from "../hdf5/values";
import { MapAdapter } from "../features/adapters";
import { missingInputs, type FeatureConfig, type FeatureExtractor } from "../features/contract";
import { defaultFeatureRegistry } from "../features/default-registry";
import { featureParamsHash } from "../features/params-hash";
import { FeatureRegistry } from "../features/registry";
import type { PipelineSession } from "../session/session";
import { nowIso } from "../session/time";
import { defineStep, type StepContext } from "./define-step";
import { unitIdsForStep } from "../quality/curation";
import { featureMessages as messages } from "./feature-messages";

/** Options of {@link extractFeatures}. */
export interface ExtractFeaturesOptions {
  /** Feature names to extract, in order (e.g. `["frif", "step_up"]`). Default: none. */
  features: readonly string[];
  /** Recompute features every unit already has. Default false. */
  force: boolean;
  /** Per feature, options overriding the extractor's defaults: `{ step_up: { movieName: "step_up_2s_b0_3x" } }`. */
  config: Readonly<Record<string, FeatureConfig>>;
  /** Where to look the names up; null = `defaultFeatureRegistry` (the built-ins plus what the notebook registered). */
  registry: FeatureRegistry | null;
  /** Also process units labelled "reject" (default false: they are skipped, with a warning). */
  includeRejected: boolean;
}

interface PendingResult {
  readonly unitId: string;
  readonly feature: string;
  readonly data: SessionMap;
  readonly metadata: SessionMap;
}

/** Extracts registered features for every unit of a loaded recording. */
export const extractFeatures = defineStep<ExtractFeaturesOptions>({
  name: "extract_features",
  requires: [{ anyOf: ["load_recording", "load_recording_with_eimage_sta"], ifMissing: "error", message: messages.notLoaded() }],
  defaults: { features: [], force: false, config: {}, registry: null, includeRejected: false },
  validate: checkOptions,
  run: (context) => {
    const { session, options, warn } = context;
    if (session.unitCount === 0) {
      warn(messages.noUnits());
      return;
    }
    const unitIds = unitIdsForStep({ session, includeRejected: options.includeRejected, stepName: "extract_features", warn });
    const registry = options.registry ?? defaultFeatureRegistry;
    const roots = { stimulus: new MapAdapter(session.stimulus, "stimulus"), metadata: new MapAdapter(session.metadata, "metadata") };
    const features = unique(options.features);
    const pending: PendingResult[] = [];
    features.forEach((feature, f) => {
      let extractor: FeatureExtractor;
      try {
        extractor = registry.get(feature);
      } catch (error) {
        warn(describe(error)); // the reference's "Unknown feature: '…'. Available features: …"
        return;
      }
      const config = mergedConfig(extractor, options.config[feature]);
      const paramsHash = featureParamsHash(config);
      if (!options.force && isCached(session, unitIds, feature, extractor.version, paramsHash)) return;
      try {
        pending.push(...extractAll({ context, extractor, config, paramsHash, unitIds, roots, featureIndex: f, featureCount: features.length }));
      } catch (error) {
        warn(messages.featureFailed(feature, describe(error)));
      }
    });
    // Everything is computed before the first addFeature, so a failure above leaves the session's data as it was.
    for (const result of pending) session.addFeature(result.unitId, result.feature, result.data, result.metadata);
  },
});

function extractAll(args: {
  context: StepContext<ExtractFeaturesOptions>;
  extractor: FeatureExtractor;
  config: FeatureConfig;
  paramsHash: string;
  unitIds: readonly string[];
  roots: { stimulus: MapAdapter; metadata: MapAdapter };
  featureIndex: number;
  featureCount: number;
}): PendingResult[] {
  const { context, extractor, config, unitIds, roots } = args;
  const { session, warn } = context;
  const feature = extractor.name;
  const results: PendingResult[] = [];
  const total = unitIds.length * args.featureCount;
  unitIds.forEach((unitId, u) => {
    const unit = new MapAdapter(session.unitMaps[unitId], `units/${unitId}`);
    const failed = (detail: string) => warn(messages.unitFailed(feature, unitId, detail));
    const missing = missingInputs({ extractor, roots: { unit, ...roots } });
    if (missing.length > 0) {
      failed(messages.missingInputs(missing));
    } else {
      try {
        const data: unknown = extractor.extract({ unitId, unit, stimulus: roots.stimulus, metadata: roots.metadata, config });
        const problem = isSessionMap(data) ? findUnstorable(data, `features.${feature}.data`) : messages.notValues(kindOf(data));
        if (problem !== undefined) failed(isSessionMap(data) ? messages.unstorable(problem) : problem);
        else {
          const metadata: SessionMap = { extractor_version: extractor.version, extracted_at: nowIso(), params_hash: args.paramsHash };
          if (extractor.spikeTimeBase !== undefined) metadata.spike_time_base = extractor.spikeTimeBase;
          markIntegerOutputs(data as SessionMap, extractor.outputSchema);
          results.push({ unitId, feature, data: data as SessionMap, metadata });
        }
      } catch (error) {
        failed(describe(error));
      }
    }
    context.progress(args.featureIndex * unitIds.length + u + 1, total, feature);
  });
  return results;
}

/** Every unit has the feature, made by this extractor version with this configuration. */
function isCached(session: PipelineSession, unitIds: readonly string[], feature: string, version: string, paramsHash: string): boolean {
  return unitIds.every((unitId) => {
    const features = session.units[unitId].features;
    const entry = isSessionMap(features) ? features[feature] : undefined;
    const metadata = isSessionMap(entry) ? entry.metadata : undefined;
    return isSessionMap(metadata) && metadata.extractor_version === version && metadata.params_hash === paramsHash;
  });
}

function mergedConfig(extractor: FeatureExtractor, overrides: FeatureConfig | undefined): FeatureConfig {
  return { ...(extractor.defaults as FeatureConfig), ...(overrides ?? {}) };
}

/** Option checks before anything runs: types, config keyed by requested features, known options, valid values. */
function checkOptions(options: Readonly<ExtractFeaturesOptions>): void {
  const { features, force, config, registry } = options;
  if (!Array.isArray(features) || features.some((name) => typeof name !== "string")) throw new ConfigurationError(messages.featuresNotList(features));
  if (typeof force !== "boolean") throw new ConfigurationError(messages.forceNotBoolean(force));
  if (typeof config !== "object" || config === null || Array.isArray(config)) throw new ConfigurationError(messages.configNotObject(config));
  if (registry !== null && !(registry instanceof FeatureRegistry)) throw new ConfigurationError(messages.notARegistry(registry));
  const lookup = registry ?? defaultFeatureRegistry;
  for (const [feature, overrides] of Object.entries(config)) {
    if (!features.includes(feature)) throw new ConfigurationError(messages.configForUnrequested(feature, features));
    if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
      throw new ConfigurationError(messages.featureConfigNotObject(feature, overrides));
    }
    // An unknown feature is reported as a warning when the step runs (the reference's behaviour).
    if (!lookup.has(feature)) continue;
    const extractor = lookup.get(feature);
    const known = Object.keys(extractor.defaults);
    for (const option of Object.keys(overrides)) {
      if (!known.includes(option)) throw new ConfigurationError(messages.unknownConfigOption(feature, option, known));
    }
  }
  for (const feature of unique(features)) {
    if (lookup.has(feature)) {
      const extractor = lookup.get(feature);
      extractor.validateConfig?.(mergedConfig(extractor, config[feature]));
    }
  }
}

function unique(names: readonly string[]): string[] {
  return names.filter((name, i) => names.indexOf(name) === i);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (ArrayBuffer.isView(value)) return "a typed array";
  return typeof value === "object" ? "an object that is not a plain map" : typeof value;
}

function describe(error: unknown): string {
  if (error instanceof HdmeaError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** Outputs the schema declares int64 (counts) are stored as int64 scalars, as the reference's Python ints are. */
function markIntegerOutputs(data: SessionMap, schema: Readonly<Record<string, { readonly dtype: string }>>): void {
  for (const [key, value] of Object.entries(data)) {
    if (schema[key]?.dtype === "int64" && typeof value === "number" && Number.isInteger(value)) markScalarInteger(data, key, "int64");
  }
}
