import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ErrorCode } from "../errors";
import { ParamsMismatchError, RunBusyError, RunStateError } from "./errors";
import { Project } from "./project";

let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-ledger-"));
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe("Project", () => {
  it("ensureFolder returns the project and sub() shares the ledger one folder down", () => {
    const project = new Project(root, { relpath: "a" }).ensureFolder();
    expect(project).toBeInstanceOf(Project);
    expect(fs.statSync(path.join(root, "a")).isDirectory()).toBe(true);
    const sub = project.sub("b");
    expect(sub.relpath).toBe("a/b");
    expect(fs.statSync(path.join(root, "a", "b")).isDirectory()).toBe(true);
    const run = sub.run("sta", { params: { x: 1 } });
    expect(new Project(root, { relpath: "a/b" }).findRuns("sta").map((r) => r.uid)).toEqual([run.uid]);
    expect(project.findRuns("sta")).toEqual([]);
  });

  it("rejects a relpath leaving the root, a bad identifier and unknown options with ConfigurationError", () => {
    expect(() => new Project(root, { relpath: "../x" })).toThrow(expect.objectContaining({ code: ErrorCode.CONFIGURATION }));
    const project = new Project(root);
    expect(() => project.run("a/b")).toThrow(expect.objectContaining({ code: ErrorCode.CONFIGURATION }));
    expect(() => project.run("..")).toThrow(expect.objectContaining({ code: ErrorCode.CONFIGURATION }));
    expect(() => new Project(root, { storageMode: "flat" as "prefix" })).toThrow(/storageMode/);
    expect(() => project.run("x", { existing: "again" as "new" })).toThrow(/existing/);
  });
});

describe("Run lifecycle", () => {
  it("goes pending → running → done with time, host, pid and duration", () => {
    const project = new Project(root);
    const run = project.run("sta", { params: { coverRange: [-60, 0] } });
    expect(run.status).toBe("pending");
    expect(run.resume.outcome).toBe("created");
    run.start();
    expect(run.status).toBe("running");
    expect(fs.statSync(run.folder).isDirectory()).toBe(true);
    run.done();
    const state = run.state();
    expect(state.status).toBe("done");
    expect(state.current?.host).toBe(os.hostname());
    expect(state.current?.pid).toBe(process.pid);
    expect(state.current?.durationMs).toBeGreaterThanOrEqual(0);
    expect(Number.isNaN(Date.parse(state.current?.finishedAt ?? ""))).toBe(false);
    expect(run.isDone()).toBe(true);
  });

  it("records an error with its message and code, and a retry takes a new attempt of the same uid", () => {
    const project = new Project(root);
    const run = project.run("sta", { params: { a: 1 } });
    run.start();
    run.error(new RunStateError("x", "boom"));
    expect(run.status).toBe("error");
    expect(run.state().current?.error).toMatchObject({ message: "boom", code: ErrorCode.RUN_STATE, name: "RunStateError" });
    const again = project.run("sta", { params: { a: 1.0 } });
    expect(again.uid).toBe(run.uid);
    expect(again.resume.outcome).toBe("existing");
    again.start().done();
    expect(again.state().attempts.map((a) => a.status)).toEqual(["error", "done"]);
  });

  it("start() of a done run throws RunStateError, of a run held elsewhere RunBusyError; done() before start() throws", () => {
    const project = new Project(root);
    const run = project.run("sta");
    expect(() => run.done()).toThrow(RunStateError);
    run.start();
    const other = project.run("sta");
    expect(other.uid).toBe(run.uid);
    expect(other.tryStart()).toBe(false);
    expect(() => other.start()).toThrow(RunBusyError);
    run.done();
    expect(() => project.run("sta").start()).toThrow(RunStateError);
  });
});

describe("resume", () => {
  it("matches canonical parameters: 1 = 1.0, typed arrays = arrays, key order irrelevant; reuses only done runs", () => {
    const project = new Project(root);
    const first = project.run("sta", { params: { b: new Float32Array([1, 2]), a: { y: 1, x: [0, 1] } } });
    first.start().done();
    const second = project.run("sta", { params: { a: { x: [0.0, 1.0], y: 1.0 }, b: [1, 2] } });
    expect(second.uid).toBe(first.uid);
    expect(second.resume.outcome).toBe("reused");
    expect(second.params).toEqual({ a: { x: [0, 1], y: 1 }, b: [1, 2] });
    const fresh = project.run("sta", { params: { a: { x: [0, 1], y: 1 }, b: [1, 2] }, existing: "new" });
    expect(fresh.uid).not.toBe(first.uid);
    expect(fresh.resume.outcome).toBe("created");
  });

  it("on a near miss reports the differing keys, or throws ParamsMismatchError with onNearMiss: error", () => {
    const project = new Project(root);
    project.run("sta", { params: { coverRange: [-60, 0], stride: 1, name: "x" } }).start().done();
    const near = project.run("sta", { params: { coverRange: [-50, 0], stride: 1, name: "x", extra: true } });
    expect(near.resume.outcome).toBe("created");
    expect(near.resume.nearMiss?.differingKeys).toEqual(["coverRange", "extra"]);
    try {
      project.run("sta", { params: { coverRange: [-40, 0], stride: 1, name: "x" }, onNearMiss: "error" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ParamsMismatchError);
      expect((error as ParamsMismatchError).code).toBe(ErrorCode.PARAMS_MISMATCH);
      expect((error as ParamsMismatchError).differingKeys).toEqual(["coverRange"]);
      expect((error as Error).message).toContain("coverRange");
    }
  });
});

describe("uids", () => {
  it("widen instead of overflowing their padding, sort by number, and are never reused after deletion", () => {
    const project = new Project(root, { uidWidth: 1, existing: "new" });
    const uids = Array.from({ length: 12 }, () => project.run("r").uid);
    expect(uids.slice(0, 3)).toEqual(["0", "1", "2"]);
    expect(uids.slice(9)).toEqual(["9", "10", "11"]);
    expect(project.findRuns("r").map((r) => r.uid)).toEqual(uids);
    // Delete the newest run's records and files entirely: its uid still is not handed out again.
    fs.rmSync(path.join(root, ".hdmea-ledger", "v1", "%2E", "runs", "11"), { recursive: true });
    expect(project.findRuns("r")).toHaveLength(11);
    expect(project.run("r").uid).toBe("12");
  });
});

describe("files and paths", () => {
  it("subfolder mode: <project>/<identifier>/<uid>/<identifier>_<name>; prefix mode: <project>/<uid>_<identifier>_<name>", () => {
    const project = new Project(root, { relpath: "p" });
    const sub = project.run("sta", { params: { a: 1 } });
    expect(sub.path("x.h5")).toBe(path.join(root, "p", "sta", sub.uid, "sta_x.h5"));
    expect(sub.path("x.h5", { includeIdentifier: false })).toBe(path.join(root, "p", "sta", sub.uid, "x.h5"));
    const pre = project.run("sta", { params: { a: 2 }, storageMode: "prefix" });
    expect(pre.path("x.h5")).toBe(path.join(root, "p", `${pre.uid}_sta_x.h5`));
    // findRuns keeps each run's own storage mode, whatever the project default is.
    const listed = new Project(root, { relpath: "p", storageMode: "prefix" }).findRuns("sta");
    expect(listed.map((r) => r.storageMode)).toEqual(["subfolder", "prefix"]);
  });

  it("attachFiles stores paths relative to the root, so a moved project still resolves them", () => {
    const project = new Project(root, { relpath: "p" });
    const run = project.run("sta");
    run.attachFiles({ sta: run.path("sta.h5") });
    run.attachFiles({ table: path.join(project.folder, "t.arrow") });
    expect(run.relativeFiles).toEqual({ sta: `p/sta/${run.uid}/sta_sta.h5`, table: "p/t.arrow" });
    const moved = root + "-moved";
    fs.renameSync(root, moved);
    try {
      const again = new Project(moved, { relpath: "p" }).findRuns("sta")[0];
      expect(again.files.sta).toBe(path.join(moved, "p", "sta", run.uid, "sta_sta.h5"));
    } finally {
      fs.renameSync(moved, root);
    }
  });
});
