import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { resolveOptions } from "./options";
import { streamFor } from "./prng";
import { withoutReceptiveFields } from "./rf-free-units";
import { frameRates } from "./spike-model";
import { planStimulus } from "./stimulus-plan";
import { createUnits } from "./units-model";

describe("units planted without a receptive field", () => {
  const { recipe } = resolveOptions({ outputDir: "/unused", durationS: 20, unitCount: 5, unitsWithoutRf: 2, stimuli: ["noise"] });
  const plan = planStimulus(recipe, streamFor(recipe.seed, "noise-movie"));
  const drawn = createUnits(5, recipe.grid, streamFor(recipe.seed, "units"));
  const units = withoutReceptiveFields(drawn, recipe.unitsWithoutRf);

  it("strips the last units only, keeping every other draw", () => {
    expect(units.map((u) => u.rf.planted)).toEqual([true, true, true, false, false]);
    expect(units.slice(0, 3)).toEqual(drawn.slice(0, 3));
    expect(units[4].rf.centerRow).toBe(drawn[4].rf.centerRow);
    expect(Array.from(units[4].rf.spatial).every((w) => w === 0)).toBe(true);
  });

  it("makes them fire at their dark rate whatever the screen shows, while planted units follow the stimulus", () => {
    const flat = frameRates(units[3], plan);
    expect(Array.from(flat).every((rate) => Math.abs(rate - units[3].baseRateHz) < 1e-9)).toBe(true);
    const driven = frameRates(units[0], plan);
    expect(Math.max(...driven) - Math.min(...driven)).toBeGreaterThan(1);
  });

  it("rejects more units without an RF than units", () => {
    expect(() => resolveOptions({ outputDir: "/unused", unitCount: 3, unitsWithoutRf: 4 })).toThrow(ConfigurationError);
    expect(resolveOptions({ outputDir: "/unused" }).recipe.unitsWithoutRf).toBe(0);
  });
});
