import { describe, expect, it } from "vitest";
import { checkpointFile, sessionActionCode, unitPageCode } from "./action-code";
import { sessionPayload } from "../test-support/fixtures";

describe("sessionActionCode", () => {
  it("addresses the session by its id, whatever variable holds it", () => {
    const code = sessionActionCode({ action: "save", payload: sessionPayload() });
    expect(code.split("\n")).toEqual([
      '// Inserted by the HD-MEA Session panel (save of session "a1b2c3d4e5f6", dataset "2025.04.10-11.12.57-Rec").',
      'import { sessionById } from "hdmea";',
      'await sessionById("a1b2c3d4e5f6").save();',
    ]);
    expect(code).not.toMatch(/\bsession\./);
  });

  it("saves a session saved before to the same file, named relative to the notebook", () => {
    const saved = sessionPayload({ saveState: "saved", hdf5Path: "/data/nb/artifacts/rec.h5", hdf5RelativePath: "artifacts/rec.h5" });
    expect(sessionActionCode({ action: "save", payload: saved }).split("\n")[2]).toBe('await sessionById("a1b2c3d4e5f6").save("artifacts/rec.h5");');
    // A payload of an older kernel has no relative path: the absolute one is still the same file.
    const old = sessionPayload({ saveState: "saved", hdf5Path: "/data/out/rec.h5" });
    expect(sessionActionCode({ action: "save", payload: old }).split("\n")[2]).toBe('await sessionById("a1b2c3d4e5f6").save("/data/out/rec.h5");');
  });

  it("keeps a dataset or session id that holds line breaks inside the comment and the string (saved outputs are not trusted)", () => {
    for (const text of ['x")\nfs.rmSync("/")', "x\u2028fs.rmSync('/')", "x\r\nfs.rmSync('/')"]) {
      const code = sessionActionCode({ action: "save", payload: sessionPayload({ datasetId: text, sessionId: text }) });
      const lines = code.split(/\r\n|[\n\r\u2028\u2029]/);
      expect(lines).toHaveLength(3);
      expect(lines[0].startsWith("//")).toBe(true);
      expect(lines[2]).toMatch(/^await sessionById\(".*"\)\.save\(\);$/);
    }
  });

  it("names a checkpoint after the state it holds, beside the saved file or in the output folder", () => {
    const saved = sessionPayload({ saveState: "saved", hdf5Path: "/nb/artifacts/rec.h5", hdf5RelativePath: "artifacts/rec.h5" });
    const steps = saved.completedSteps;
    const last = steps[steps.length - 1];
    const expectedFile = `artifacts/a1b2c3d4e5f6.after-${String(steps.length).padStart(2, "0")}-${last}.h5`;
    expect(checkpointFile(saved)).toBe(expectedFile);
    expect(sessionActionCode({ action: "checkpoint", payload: saved })).toContain(
      `await sessionById("a1b2c3d4e5f6").checkpoint("${expectedFile}", { checkpointName: "after ${last}" });`,
    );
    expect(checkpointFile(sessionPayload({ sessionId: "my rec/1", completedSteps: [], outputDir: "out" }))).toBe("out/my_rec_1.after-00-start.h5");
    expect(checkpointFile(sessionPayload({ sessionId: "r-1", completedSteps: ["load_recording"] }))).toBe("artifacts/r-1.after-01-load_recording.h5");
    // Another session of the same dataset in the same state (resumed from the file) gets its own file.
    expect(checkpointFile(sessionPayload({ sessionId: "r-2", completedSteps: ["load_recording"] }))).toBe("artifacts/r-2.after-01-load_recording.h5");
  });

  it("gives the same checkpoint file for the same state (a re-run replaces it) and another one after more steps", () => {
    const before = sessionPayload({ seq: 1 });
    const again = sessionPayload({ seq: 99, updatedAt: "2027-01-01T00:00:00Z" });
    const later = sessionPayload({ completedSteps: [...before.completedSteps, "extract_features"] });
    expect(checkpointFile(again)).toBe(checkpointFile(before));
    expect(checkpointFile(later)).not.toBe(checkpointFile(before));
  });

  it("opens a unit's page through the session's id, with untrusted ids kept inside strings", () => {
    expect(unitPageCode({ sessionId: "demo-1", unitId: "unit_003" }).split("\n")).toEqual([
      '// Inserted by the units table: the page of unit "unit_003" of session "demo-1".',
      'import { sessionById, showUnitPage } from "hdmea";',
      'await showUnitPage({ session: sessionById("demo-1"), unitId: "unit_003" });',
    ]);
    const lines = unitPageCode({ sessionId: 'x")\nfs.rmSync("/")', unitId: "u\u2028y" }).split(/\r\n|[\n\r\u2028\u2029]/);
    expect(lines).toHaveLength(3);
  });
});
