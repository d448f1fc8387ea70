/**
 * The built-in extractors and the default registry.
 *
 * Registered (reference §3.9, port decision §9 #8):
 * - `frif` — firing rate per display-frame interval, spikes compared with frame timestamps in samples (§9 #5);
 * - `step_up` — ON/OFF step response with windows relative to the sectioned trials, in samples (the reference's
 *   `step_up_5s_5i_3x`, renamed because its numbers mean something else now; the movie is the config option
 *   `movieName`);
 * - `baseline_127` — firing statistics in a time window;
 * - `example_feature` — the template extractor;
 * - `cell_type_classifier` — the reference's RGC heuristic.
 *
 * Intentionally omitted: `green_blue_3s_3i_3x`, `freq_step_5st_3x`, `moving_h_bar_s5_d8_3x` and the registry
 * extractor `perfect_dense_noise_15x15_15hz_r42_3min` return random or placeholder numbers in the reference
 * (§3.9.7) and are not ported; the real receptive field comes from `computeSta`. `eimage_sta` is not a registry
 * entry here either: the electrical image is computed by the eimage steps (§9 #6).
 */
import type { FeatureExtractor } from "./contract";
import { baselineExtractor } from "./extractors/baseline";
import { cellTypeExtractor } from "./extractors/cell-type";
import { exampleExtractor } from "./extractors/example";
import { frifExtractor } from "./extractors/frif";
import { stepUpExtractor } from "./extractors/step-up";
import { FeatureRegistry } from "./registry";

/** The built-in extractors, in registration order. */
export const BUILT_IN_EXTRACTORS: readonly FeatureExtractor<object>[] = Object.freeze([
  frifExtractor,
  stepUpExtractor,
  baselineExtractor,
  exampleExtractor,
  cellTypeExtractor,
] as FeatureExtractor<object>[]);

/** A new registry holding the built-in extractors (and nothing else), e.g. for a test or an isolated analysis. */
export function createDefaultFeatureRegistry(): FeatureRegistry {
  const registry = new FeatureRegistry();
  for (const extractor of BUILT_IN_EXTRACTORS) registry.register(extractor);
  return registry;
}

/**
 * The registry `extractFeatures` uses when it is not given one. It is created once, when `hdmea` is loaded, with
 * the built-in extractors registered explicitly above; a notebook adds its own extractors with
 * `defaultFeatureRegistry.register(extractor)` and removes them with the returned registration's `dispose()`.
 */
export const defaultFeatureRegistry: FeatureRegistry = createDefaultFeatureRegistry();
