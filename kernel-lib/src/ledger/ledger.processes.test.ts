/**
 * The ledger with real processes (issue 10, "Must show"): 8 worker processes × 50 runs with overlapping
 * parameters, then a resume pass; a worker SIGKILLed mid-run whose run is reclaimed once its heartbeat expires;
 * a live worker that blocks its event loop is not reclaimed. Assertions are on counts and states only.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuiltPackage } from "../test-support/built-package";
import {
  ledgerFiles,
  overlappingTasks,
  taskParams,
  waitForWorkers,
  WorkerProcess,
  type WorkerLine,
  type WorkerTask,
} from "../test-support/ledger-workers";
import { paramsHash } from "./canonical-params";
import { Project } from "./project";

const WORKERS = 8;
const RUNS_PER_WORKER = 50;
const POOL = 100;
const WORKERS_TIMEOUT_MS = 150_000;

let root: string;
const started: WorkerProcess[] = [];

beforeAll(() => {
  ensureBuiltPackage();
  root = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-ledger-proc-"));
}, 600_000);

afterAll(() => {
  for (const worker of started) worker.kill();
  fs.rmSync(root, { recursive: true, force: true });
});

function spawnWorker(config: ConstructorParameters<typeof WorkerProcess>[0]): WorkerProcess {
  const worker = new WorkerProcess(config);
  started.push(worker);
  return worker;
}

/** Params as the parent sees them: typed-array spellings revived, as the worker does. */
function revived(task: WorkerTask): Record<string, unknown> {
  const nested = task.params.nested as { weights: unknown; bins: number };
  const weights = nested.weights as { $f64?: number[] };
  return { ...task.params, nested: { ...nested, weights: weights.$f64 ? Float64Array.from(weights.$f64) : weights } };
}

async function runPass(relpath: string, taskLists: WorkerTask[][]): Promise<WorkerLine[]> {
  const workers = taskLists.map((tasks, worker) => spawnWorker({ root, relpath, worker, tasks, ttlMs: 30_000 }));
  await waitForWorkers(workers, WORKERS_TIMEOUT_MS);
  for (const worker of workers) {
    expect(worker.stderr).toBe("");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  }
  return workers.flatMap((w) => w.lines);
}

describe("8 processes × 50 runs with overlapping parameters", () => {
  it("lose and duplicate nothing, every record parses, and a resume pass reuses exactly the done runs", async () => {
    const relpath = "sweep";
    const taskLists = Array.from({ length: WORKERS }, (_, w) =>
      overlappingTasks({ seed: 1000 + w, poolSize: POOL, count: RUNS_PER_WORKER, identifier: "sta" }),
    );
    const allTasks = taskLists.flat();
    const distinct = new Map<number, WorkerTask>(allTasks.map((t) => [t.key, t]));
    const hashOf = new Map([...distinct].map(([key, task]) => [key, paramsHash(revived(task))]));
    // Different spellings of one key hash alike (checked here, in one process, before the processes race).
    for (const task of allTasks) expect(paramsHash(revived(task))).toBe(hashOf.get(task.key));

    const lines = (await runPass(relpath, taskLists)).filter((l) => l.outcome !== "started");
    expect(lines).toHaveLength(WORKERS * RUNS_PER_WORKER);

    const runs = new Project(root, { relpath }).findRuns("sta");
    // One run per distinct parameter set: none lost, none duplicated.
    expect(runs).toHaveLength(distinct.size);
    expect(new Set(runs.map((r) => r.paramsHash))).toEqual(new Set(hashOf.values()));
    expect(new Set(runs.map((r) => r.uid)).size).toBe(runs.length);
    // Every process that asked for one key got the same uid.
    const uidByKey = new Map<number, Set<string>>();
    for (const line of lines) uidByKey.set(line.task, (uidByKey.get(line.task) ?? new Set()).add(line.uid));
    for (const uids of uidByKey.values()) expect(uids.size).toBe(1);

    // Every record parses; no temp file is left behind by writers that exited.
    const files = ledgerFiles(root);
    expect(files.temps).toEqual([]);
    for (const file of files.json) expect(() => JSON.parse(fs.readFileSync(file, "utf8"))).not.toThrow();

    // Done runs were computed exactly once; failing ones ended in error.
    const byHash = new Map(runs.map((r) => [r.paramsHash, r]));
    let doneRuns = 0;
    for (const [key, task] of distinct) {
      const run = byHash.get(hashOf.get(key)!)!;
      const state = run.state();
      expect(state.status).toBe(task.fail ? "error" : "done");
      const executions = lines.filter((l) => l.task === key && (l.outcome === "done" || l.outcome === "error"));
      if (task.fail) {
        expect(executions.length).toBeGreaterThanOrEqual(1);
        expect(state.attempts.every((a) => a.status === "error")).toBe(true);
      } else {
        doneRuns += 1;
        expect(executions.map((l) => l.outcome)).toEqual(["done"]);
        expect(state.attempts).toHaveLength(1);
        expect(run.files.result).toBe(run.path("result.json"));
        expect(JSON.parse(fs.readFileSync(run.files.result, "utf8")).task).toBe(key);
      }
    }

    // Resume: the same task lists again. Done runs are reused (never recomputed), failed ones retried, no new run.
    const again = (await runPass(relpath, taskLists)).filter((l) => l.outcome !== "started");
    const reused = again.filter((l) => l.outcome === "reused");
    const expectedReuses = allTasks.filter((t) => !t.fail).length;
    expect(reused).toHaveLength(expectedReuses);
    expect(new Set(reused.map((l) => l.task))).toEqual(new Set([...distinct.values()].filter((t) => !t.fail).map((t) => t.key)));
    expect(again.filter((l) => l.outcome === "done")).toEqual([]);
    expect(again.filter((l) => distinct.get(l.task)!.fail).every((l) => l.outcome === "error" || l.outcome === "busy")).toBe(true);
    expect(new Project(root, { relpath }).findRuns("sta")).toHaveLength(distinct.size);
    expect(doneRuns).toBe([...distinct.values()].filter((t) => !t.fail).length);
  }, 400_000);
});

describe("heartbeat", () => {
  const RECLAIM_TIMEOUT_MS = 60_000;

  it("a worker killed with SIGKILL mid-run leaves a run that is reclaimed once its heartbeat expires", async () => {
    const relpath = "killed";
    const task: WorkerTask = { identifier: "sta", key: 7, params: taskParams(7, 0), fail: false };
    const worker = spawnWorker({ root, relpath, worker: "victim", tasks: [task], ttlMs: 1500, hold: "sleep", holdMs: 600_000 });
    const startedLine = await worker.waitForLine((l) => l.outcome === "started", 60_000);

    const project = new Project(root, { relpath, heartbeatTtlMs: 1500 });
    const run = project.run("sta", { params: revived(task) });
    expect(run.uid).toBe(startedLine.uid);
    expect(run.resume.outcome).toBe("existing");
    expect(run.state().current?.pid).toBe(worker.pid);

    worker.kill("SIGKILL");
    expect((await worker.exited).signal).toBe("SIGKILL");
    // The killed worker never wrote an outcome: the run stays "running" until its heartbeat is older than the ttl.
    expect(run.status).toBe("running");
    let polls = 0;
    const giveUpAt = Date.now() + RECLAIM_TIMEOUT_MS;
    while (!run.tryStart()) {
      expect(run.status).toBe("running");
      if (Date.now() > giveUpAt) throw new Error(`run ${run.uid} was not reclaimable within ${RECLAIM_TIMEOUT_MS} ms`);
      polls += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    run.done();
    const state = run.state();
    expect(state.status).toBe("done");
    expect(state.attempts.map((a) => [a.status, a.pid])).toEqual([
      ["running", worker.pid],
      ["done", process.pid],
    ]);
    expect(polls).toBeGreaterThanOrEqual(0);
  }, 600_000);

  it("a live worker that blocks its event loop keeps its run (the heartbeat beats from a thread)", async () => {
    const relpath = "alive";
    const ttlMs = 2500;
    const task: WorkerTask = { identifier: "sta", key: 8, params: taskParams(8, 0), fail: false };
    const worker = spawnWorker({ root, relpath, worker: "busy", tasks: [task], ttlMs, hold: "spin", holdMs: 4 * ttlMs });
    await worker.waitForLine((l) => l.outcome === "started", 60_000);
    const run = new Project(root, { relpath, heartbeatTtlMs: ttlMs }).run("sta", { params: revived(task) });
    let refused = 0;
    while (!worker.lines.some((l) => l.outcome === "done")) {
      if (worker.child.exitCode !== null) break;
      expect(run.tryStart()).toBe(false);
      refused += 1;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await waitForWorkers([worker], 60_000);
    expect(worker.lines.map((l) => l.outcome)).toEqual(["started", "done"]);
    expect(refused).toBeGreaterThan(0);
    expect(run.state().attempts.map((a) => a.status)).toEqual(["done"]);
  }, 600_000);
});
