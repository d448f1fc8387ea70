import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { tableFromArrays, tableFromIPC, tableToIPC } from "apache-arrow";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataLoadError, MissingInputError } from "../errors";
import { aggregateRuns } from "./aggregate";
import { Project } from "./project";
import { product } from "./sweeps";

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-aggregate-"));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("aggregateRuns", () => {
  it("joins a JSON artefact across a sweep's runs with uid and param columns; skips runs that are not done", () => {
    const project = new Project(root);
    for (const params of product({ cover: [10, 20], bins: [1, 2] })) {
      const run = project.run("sta", { params }).start();
      const file = run.path("summary.json");
      fs.writeFileSync(file, JSON.stringify({ score: (params.cover as number) * (params.bins as number), fit: { ok: true } }));
      run.attachFiles({ summary: file });
      run.done();
    }
    project.run("sta", { params: { cover: 30, bins: 1 } }).start(); // running: left out
    const table = aggregateRuns({ runs: project.findRuns("sta"), file: "summary" });
    expect(table.schema.fields.map((f) => f.name)).toEqual(["run_uid", "run_identifier", "run_relpath", "param.bins", "param.cover", "score", "fit.ok"]);
    expect(table.numRows).toBe(4);
    expect(table.getChild("score")?.toArray()).toEqual(Float64Array.from([10, 20, 20, 40]));
    expect(table.getChild("run_uid")?.toArray()).toEqual(["0000", "0001", "0002", "0003"]);
    // Round trip through Arrow IPC, as notebooks and pyarrow receive it.
    expect(tableFromIPC(tableToIPC(table)).getChild("fit.ok")?.toArray()).toEqual([true, true, true, true]);
  });

  it("reads every row of an Arrow IPC artefact; a missing file is MissingInputError unless skipped; a bad one DataLoadError", () => {
    const project = new Project(root);
    const a = project.run("units", { params: { rec: "a" } }).start();
    fs.writeFileSync(a.path("units.arrow"), tableToIPC(tableFromArrays({ unit_id: ["u1", "u2"], rate: Float64Array.of(1.5, 2.5) }), "file"));
    a.attachFiles({ units: a.path("units.arrow") }).done();
    const b = project.run("units", { params: { rec: "b" } }).start().done();
    expect(() => aggregateRuns({ runs: [a, b], file: "units" })).toThrow(MissingInputError);
    const table = aggregateRuns({ runs: [a, b], file: "units", onMissing: "skip", includeParams: false });
    expect(table.numRows).toBe(2);
    expect(table.getChild("unit_id")?.toArray()).toEqual(["u1", "u2"]);
    const c = project.run("units", { params: { rec: "c" } }).start();
    fs.writeFileSync(c.path("bad.json"), "{not json");
    c.attachFiles({ units: c.path("bad.json") }).done();
    expect(() => aggregateRuns({ runs: [c], file: "units" })).toThrow(DataLoadError);
  });
});
