/**
 * Reference Appendix A.13 (an h5py dump of a saved session and what the loaders give back), re-expressed with the
 * port's decisions. Each expectation that differs from the reference says which decision changes it.
 */
import * as path from "path";
import { describe, expect, it } from "vitest";
import { SessionError } from "../errors";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { useTempDir } from "../test-support/temp-dir";

describe("A.13 session round trip under our decisions", () => {
  const tempDir = useTempDir();

  async function roundTrip() {
    const session = new PipelineSession({ datasetId: "2025.12.28-10.00.00-Rec", logger: recordingLogger() });
    const trials: Record<string, Float64Array> = {};
    for (let k = 0; k < 12; k++) trials[String(k)] = Float64Array.of(k * 10);
    session.addUnits({
      unit_001: {
        spike_times: Float64Array.of(5, 10),
        flag: true,
        lst: [1, 2, 3],
        strlist: ["a", "b"],
        original_name: "Unit_1",
        spike_times_sectioned: { movie: { trials_spike_times: trials } },
      },
    });
    session.addFeature("unit_001", "frif", {
      flag: true,
      npflag: false,
      lst: [1.5, 2.5],
      tup: [1, 2],
      f32: Math.fround(0.1),
      i32: 7,
      strs: ["x", "y"],
    });
    session.addMetadata({ sys_meta: { nested: { deeper: 1 } } });
    session.markStepComplete("load_recording");
    const file = await session.save(path.join(tempDir(), "a13.h5"));
    return { session, loaded: await PipelineSession.load(file) };
  }

  it("root attributes, scalars, booleans, lists and strings", async () => {
    const { session, loaded } = await roundTrip();
    expect(loaded.datasetId).toBe(session.datasetId);
    expect(loaded.createdAt).toBe(session.createdAt);
    const frif = (loaded.units.unit_001.features as Record<string, { data: Record<string, unknown> }>).frif.data;
    expect(frif.flag).toBe(true); // reference: HDF5 bool; ours: int8 tagged "bool" (DESIGN §4), read back as a boolean
    expect(frif.npflag).toBe(false); // reference: the text "False" (numpy bool); §9 #9: booleans stay booleans
    expect(frif.lst).toEqual([1.5, 2.5]); // reference: float64[2] → array; ours: a number list comes back as a list
    expect(frif.tup).toEqual([1, 2]); // reference: int64[2]
    expect(frif.f32).toBe(Math.fround(0.1)); // reference: float32 widened to float64; JS numbers are float64 already
    expect(frif.i32).toBe(7); // reference: int64 scalar; ours: a float64 scalar unless the schema names the path
    expect(frif.strs).toEqual(["x", "y"]); // reference: missing (dropped at write); §9 #9: vlen string dataset
  });

  it("unit attributes", async () => {
    const { loaded } = await roundTrip();
    const unit = loaded.units.unit_001;
    expect(unit.flag).toBe(true); // reference: boolean attribute; ours: a tagged dataset (attributes cannot carry the tag)
    expect(unit.lst).toEqual([1, 2, 3]); // int64 array attribute
    expect(unit.strlist).toEqual(["a", "b"]); // vlen string array attribute
    expect(unit.original_name).toBe("Unit_1");
  });

  it("trial keys come back numerically (reference: 0, 1, 10, 11, 2, …); a 1-element trial stays an array (§9 #3)", async () => {
    const { loaded } = await roundTrip();
    const sectioned = loaded.units.unit_001.spike_times_sectioned as Record<string, Record<string, Record<string, Float64Array>>>;
    const trials = sectioned.movie.trials_spike_times;
    expect(Object.keys(trials)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"]);
    expect(trials["0"]).toEqual(Float64Array.of(0));
  });

  it("completed steps are text (§9 #2) and PipelineSession.load adds no step of its own", async () => {
    const { loaded } = await roundTrip();
    expect([...loaded.completedSteps]).toEqual(["load_recording"]);
  });

  it("keys with '/' and values HDF5 cannot hold are refused when added, not dropped silently at save", () => {
    const session = new PipelineSession({ datasetId: "x", logger: recordingLogger() });
    // reference: 'key/with/slash' silently became nested groups; a Path attribute was silently dropped.
    expect(() => session.addMetadata({ sys_meta: { "key/with/slash": 1 } })).toThrow(SessionError);
    expect(() => session.addUnits({ u: { pathattr: new URL("file:///tmp/x") as never } })).toThrow(/instance of URL/);
  });
});
