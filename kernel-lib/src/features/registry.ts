/**
 * The feature registry (reference §3.9.1): name → extractor. Registration is explicit, a duplicate name is
 * rejected, an unknown name is an error listing the known names, and `register` returns a registration whose
 * `dispose()` removes the extractor again (what tests and notebook cells that re-run need).
 *
 * There is no hidden global: a `FeatureRegistry` is an ordinary object. The built-in extractors are registered
 * into {@link defaultFeatureRegistry} (see `default-registry.ts`), which `extractFeatures` uses unless it is given
 * another registry.
 *
 * Built-in names: `frif`, `step_up`, `baseline_127`, `example_feature`, `cell_type_classifier`. The reference's
 * random-number placeholders `green_blue_3s_3i_3x`, `freq_step_5st_3x`, `moving_h_bar_s5_d8_3x` and
 * `perfect_dense_noise_15x15_15hz_r42_3min` are intentionally not ported (reference §9 #8); neither is its unused
 * `eimage_sta` registry entry (the eimage steps compute the electrical image).
 */
import { ConfigurationError } from "../errors";
import type { FeatureConfig, FeatureExtractor, FeatureMetadata } from "./contract";
import { messages } from "./messages";

/** Returned by {@link FeatureRegistry.register}; `dispose()` unregisters (idempotent). */
export interface FeatureRegistration {
  readonly name: string;
  /** True once `dispose()` has run. */
  readonly isDisposed: boolean;
  dispose(): void;
}

const VALID_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const VALID_RUNTIME = ["fast", "slow"];

/** A set of named feature extractors. */
export class FeatureRegistry {
  private readonly extractors = new Map<string, FeatureExtractor>();

  /**
   * Adds `extractor` under `extractor.name`. Throws `ConfigurationError` when the name is taken (reference:
   * "Feature '{name}' is already registered by …") or the declaration is incomplete. `replace: true` swaps out an
   * earlier registration of the same name instead — what a notebook cell that defines an extractor needs when it
   * is run again.
   */
  register<Config extends object>(extractor: FeatureExtractor<Config>, options: { replace?: boolean } = {}): FeatureRegistration {
    checkDeclaration(extractor);
    const existing = this.extractors.get(extractor.name);
    if (existing !== undefined && options.replace !== true) {
      throw new ConfigurationError(messages.duplicate(extractor.name, describeOwner(existing)));
    }
    // Stored without its config type: the registry hands each extractor only configs merged over its own defaults.
    const stored = extractor as unknown as FeatureExtractor;
    this.extractors.set(extractor.name, stored);
    let disposed = false;
    return {
      name: extractor.name,
      get isDisposed() {
        return disposed;
      },
      dispose: () => {
        if (disposed) return;
        disposed = true;
        // Only remove what this registration added, in case the name was re-registered after an earlier dispose.
        if (this.extractors.get(extractor.name) === stored) this.extractors.delete(extractor.name);
      },
    };
  }

  /**
   * The extractor named `name`. Throws `ConfigurationError` "Unknown feature: '{name}'. Available features: …"
   * (the reference's KeyError text) when there is none.
   */
  get(name: string): FeatureExtractor {
    const extractor = this.extractors.get(name);
    if (extractor === undefined) throw new ConfigurationError(messages.unknownFeature(name, this.list()));
    return extractor;
  }

  /** True when `name` is registered. */
  has(name: string): boolean {
    return this.extractors.has(name);
  }

  /** Registered names, sorted. */
  list(): string[] {
    return [...this.extractors.keys()].sort();
  }

  /** The declaration of `name` without its function (reference `get_metadata`). Throws like {@link get}. */
  metadata(name: string): FeatureMetadata {
    const extractor = this.get(name);
    return {
      name: extractor.name,
      version: extractor.version,
      description: extractor.description,
      requiredInputs: [...extractor.requiredInputs],
      outputSchema: { ...extractor.outputSchema },
      runtimeClass: extractor.runtimeClass,
      defaults: { ...(extractor.defaults as FeatureConfig) },
    };
  }

  /** {@link metadata} of every registered extractor, sorted by name. */
  allMetadata(): FeatureMetadata[] {
    return this.list().map((name) => this.metadata(name));
  }
}

function checkDeclaration(extractor: FeatureExtractor<object>): void {
  const candidate = extractor as Partial<FeatureExtractor<object>> | null;
  if (typeof candidate !== "object" || candidate === null) throw new ConfigurationError(messages.notAnExtractor(String(candidate)));
  const name = candidate.name;
  if (typeof name !== "string" || !VALID_NAME.test(name)) throw new ConfigurationError(messages.badName(name));
  const problems: string[] = [];
  if (typeof candidate.version !== "string" || candidate.version === "") problems.push("version (a string such as \"1.0.0\")");
  if (typeof candidate.description !== "string") problems.push("description (a string)");
  if (!Array.isArray(candidate.requiredInputs) || candidate.requiredInputs.some((p) => typeof p !== "string")) {
    problems.push("requiredInputs (a list of paths, e.g. [\"spike_times\"])");
  }
  if (typeof candidate.outputSchema !== "object" || candidate.outputSchema === null) problems.push("outputSchema (an object)");
  if (!VALID_RUNTIME.includes(candidate.runtimeClass as string)) problems.push("runtimeClass (\"fast\" or \"slow\")");
  if (typeof candidate.defaults !== "object" || candidate.defaults === null || Array.isArray(candidate.defaults)) {
    problems.push("defaults (an object of config options, {} when there are none)");
  }
  if (typeof candidate.extract !== "function") problems.push("extract (a function)");
  if (candidate.validateConfig !== undefined && typeof candidate.validateConfig !== "function") problems.push("validateConfig (a function, or leave it out)");
  if (problems.length > 0) throw new ConfigurationError(messages.incompleteExtractor(name, problems));
}

function describeOwner(extractor: FeatureExtractor): string {
  const constructorName = (Object.getPrototypeOf(extractor) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return constructorName && constructorName !== "Object" ? constructorName : `an extractor object (version ${extractor.version})`;
}
