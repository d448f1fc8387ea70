import { describe, expect, it } from "vitest";
import { sessionActionCode } from "./action-code";
import { sessionPayload } from "../test-support/fixtures";

const NOW = new Date("2026-11-21T06:05:09.123Z");

describe("sessionActionCode", () => {
  it("saves through `session` and says to rename it", () => {
    const code = sessionActionCode({ action: "save", payload: sessionPayload() });
    expect(code.split("\n")).toEqual([
      '// Inserted by the HD-MEA Session panel (save, dataset "2025.04.10-11.12.57-Rec").',
      "// Rename `session` if your session has another variable name.",
      "await session.save();",
    ]);
  });

  it("saves a session saved before to the same file", () => {
    const saved = sessionPayload({ saveState: "saved", hdf5Path: "/data/out/rec.h5" });
    expect(sessionActionCode({ action: "save", payload: saved }).split("\n")[2]).toBe('await session.save("/data/out/rec.h5");');
  });

  it("keeps a dataset id that holds line breaks inside the comment (saved outputs are not trusted)", () => {
    for (const datasetId of ['x")\nfs.rmSync("/")', "x\u2028fs.rmSync('/')", "x\r\nfs.rmSync('/')"]) {
      const lines = sessionActionCode({ action: "save", payload: sessionPayload({ datasetId }) }).split(/\r\n|[\n\r\u2028\u2029]/);
      expect(lines).toHaveLength(3);
      expect(lines.slice(0, 2).every((line) => line.startsWith("//"))).toBe(true);
      expect(lines[2]).toBe("await session.save();");
    }
  });

  it("checkpoints beside the saved file, or into output/, with a timestamped name", () => {
    const saved = sessionPayload({ saveState: "saved", hdf5Path: "/data/out/rec.h5" });
    expect(sessionActionCode({ action: "checkpoint", payload: saved, now: NOW })).toContain(
      'await session.checkpoint("/data/out/2025.04.10-11.12.57-Rec.checkpoint-20261121-060509.h5", { checkpointName: "panel-20261121-060509" });',
    );
    const unsaved = sessionPayload({ datasetId: "my rec/1" });
    expect(sessionActionCode({ action: "checkpoint", payload: unsaved, now: NOW })).toContain(
      'await session.checkpoint("output/my_rec_1.checkpoint-20261121-060509.h5"',
    );
  });
});
