import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import type { FeatureExtractor } from "./contract";
import { BUILT_IN_EXTRACTORS, createDefaultFeatureRegistry, defaultFeatureRegistry } from "./default-registry";
import { FeatureRegistry } from "./registry";

function extractorNamed(name: string, version = "1.0.0"): FeatureExtractor<{ scale: number }> {
  return {
    name,
    version,
    description: "spike count times a scale",
    requiredInputs: ["spike_times"],
    outputSchema: { n: { dtype: "float64", description: "count × scale" } },
    runtimeClass: "fast",
    defaults: { scale: 1 },
    extract: ({ unit, config }) => ({ n: unit.dataset("spike_times").size * config.scale }),
  };
}

class CountExtractor implements FeatureExtractor<Record<string, never>> {
  readonly name = "count";
  readonly version = "0.1.0";
  readonly description = "spike count";
  readonly requiredInputs = ["spike_times"];
  readonly outputSchema = {};
  readonly runtimeClass = "fast" as const;
  readonly defaults = {};
  extract() {
    return { n: 0 };
  }
}

describe("FeatureRegistry (§3.9.1)", () => {
  it("register → get, has, sorted list and metadata; dispose unregisters (once)", () => {
    const registry = new FeatureRegistry();
    const b = registry.register(extractorNamed("b_feature"));
    registry.register(extractorNamed("a_feature", "2.1.0"));
    expect(registry.list()).toEqual(["a_feature", "b_feature"]);
    expect(registry.has("b_feature")).toBe(true);
    expect(registry.get("a_feature").version).toBe("2.1.0");
    expect(registry.metadata("a_feature")).toEqual({
      name: "a_feature",
      version: "2.1.0",
      description: "spike count times a scale",
      requiredInputs: ["spike_times"],
      outputSchema: { n: { dtype: "float64", description: "count × scale" } },
      runtimeClass: "fast",
      defaults: { scale: 1 },
    });
    expect(registry.allMetadata().map((m) => m.name)).toEqual(["a_feature", "b_feature"]);
    expect(b.name).toBe("b_feature");
    b.dispose();
    expect(b.isDisposed).toBe(true);
    expect(registry.has("b_feature")).toBe(false);
    b.dispose();
    expect(registry.list()).toEqual(["a_feature"]);
  });

  it("a duplicate name is rejected with the reference's text; after dispose the name is free again", () => {
    const registry = new FeatureRegistry();
    const first = registry.register(new CountExtractor());
    expect(() => registry.register(new CountExtractor())).toThrow(ConfigurationError);
    expect(() => registry.register(new CountExtractor())).toThrow(/^Feature 'count' is already registered by CountExtractor\./);
    expect(() => registry.register({ ...extractorNamed("count") })).toThrow(/already registered/);
    first.dispose();
    const second = registry.register(extractorNamed("count"));
    // disposing the old registration again must not remove the new one
    first.dispose();
    expect(registry.get("count").version).toBe("1.0.0");
    second.dispose();
    expect(registry.list()).toEqual([]);
  });

  it("replace: true swaps an earlier registration (a notebook cell run again); the old handle no longer removes it", () => {
    const registry = new FeatureRegistry();
    const first = registry.register(new CountExtractor());
    const second = registry.register({ ...extractorNamed("count"), version: "2.0.0" }, { replace: true });
    expect(registry.get("count").version).toBe("2.0.0");
    first.dispose();
    expect(registry.get("count").version).toBe("2.0.0");
    second.dispose();
    expect(registry.has("count")).toBe(false);
  });

  it("an unknown name is an error listing the known names (or '(none)')", () => {
    const registry = new FeatureRegistry();
    expect(() => registry.get("frif")).toThrow("Unknown feature: 'frif'. Available features: (none)");
    registry.register(extractorNamed("z"));
    registry.register(extractorNamed("m"));
    expect(() => registry.metadata("frif")).toThrow(ConfigurationError);
    expect(() => registry.get("frif")).toThrow("Unknown feature: 'frif'. Available features: m, z");
  });

  it("incomplete declarations and names that cannot be HDF5 group names are refused", () => {
    const registry = new FeatureRegistry();
    expect(() => registry.register({ ...extractorNamed("ok"), name: "a/b" })).toThrow(/Cannot register an extractor named "a\/b"/);
    expect(() => registry.register({ ...extractorNamed("ok"), extract: undefined } as never)).toThrow(
      "Cannot register extractor 'ok': it needs extract (a function).",
    );
    expect(() => registry.register({ name: "bare" } as never)).toThrow(/needs version .*description .*requiredInputs .*outputSchema .*runtimeClass .*defaults .*extract/);
    expect(registry.list()).toEqual([]);
  });

  it("the default registry holds exactly the ported built-ins; the random placeholders are intentionally absent", () => {
    const names = ["baseline_127", "cell_type_classifier", "example_feature", "frif", "step_up"];
    expect(defaultFeatureRegistry.list()).toEqual(names);
    expect(BUILT_IN_EXTRACTORS.map((e) => e.name).sort()).toEqual(names);
    for (const omitted of ["green_blue_3s_3i_3x", "freq_step_5st_3x", "moving_h_bar_s5_d8_3x", "perfect_dense_noise_15x15_15hz_r42_3min", "eimage_sta"]) {
      expect(defaultFeatureRegistry.has(omitted)).toBe(false);
    }
    expect(defaultFeatureRegistry.metadata("example_feature")).toMatchObject({ version: "2.0.0", requiredInputs: ["spike_times", "metadata/acquisition_rate"] });
    expect(Object.keys(defaultFeatureRegistry.metadata("example_feature").outputSchema)).toEqual([
      "total_spikes",
      "mean_rate_hz",
      "first_spike_time_us",
      "last_spike_time_us",
    ]);
    expect(defaultFeatureRegistry.metadata("step_up").requiredInputs).toContain("spike_times");
  });

  it("createDefaultFeatureRegistry gives independent registries", () => {
    const mine = createDefaultFeatureRegistry();
    const registration = mine.register(extractorNamed("mine_only"));
    try {
      expect(mine.has("mine_only")).toBe(true);
      expect(defaultFeatureRegistry.has("mine_only")).toBe(false);
    } finally {
      registration.dispose();
    }
  });
});
