/** Sweeps as ledger runs: each setting one run with its parameters; a second pass (a restarted kernel) computes only what is not done. */
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { BATCH_MIME, type BatchPayload } from "../display/protocol";
import { RecordingSink } from "../display/writer";
import { Project } from "../ledger/project";
import { product } from "../ledger/sweeps";
import { useTempDir } from "../test-support/temp-dir";
import { runSweep } from "./run-sweep";

const tempDir = useTempDir();

describe("runSweep", () => {
  it("records every setting as a run and resumes only the unfinished ones", async () => {
    const sweep = () => product({ coverRange: [[-45, 0], [-30, 0], [-15, 0]] });
    const computed: string[] = [];
    const task = (fail: boolean) => (params: Record<string, unknown>, run: { path(name: string): string; attachFiles(files: Record<string, string>): unknown }) => {
      const range = params.coverRange as number[];
      if (fail && range[0] === -30) throw new Error("movie missing");
      computed.push(JSON.stringify(range));
      const file = run.path("result.json");
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ frames: -range[0] }));
      run.attachFiles({ result: file });
    };
    const sink = new RecordingSink();
    const first = await runSweep({ project: new Project(tempDir()).ensureFolder(), identifier: "sta", sweep: sweep(), task: task(true), writer: sink });
    expect([first.computed, first.skipped, first.failed.map((f) => f.error)]).toEqual([2, 0, ["movie missing"]]);
    const payload = sink.messages[sink.messages.length - 1].data[BATCH_MIME] as BatchPayload;
    expect(payload.kind).toBe("sweep");
    expect(payload.items.map((item) => item.state)).toEqual(["done", "failed", "done"]);
    expect(payload.items[1].detail).toBe("movie missing");

    // A fresh Project on the same folder, as after a kernel restart: only the failed setting runs again.
    const project = new Project(tempDir());
    const second = await runSweep({ project, identifier: "sta", sweep: sweep(), task: task(false), show: false });
    expect([second.computed, second.skipped, second.failed.length]).toEqual([1, 2, 0]);
    expect(computed).toEqual(["[-45,0]", "[-15,0]", "[-30,0]"]);
    const runs = project.findRuns("sta");
    expect(runs.map((run) => [run.params.coverRange, run.status])).toEqual([
      [[-45, 0], "done"],
      [[-30, 0], "done"],
      [[-15, 0], "done"],
    ]);
    expect(JSON.parse(fs.readFileSync(runs[1].files.result, "utf8"))).toEqual({ frames: 30 });
  });
});
