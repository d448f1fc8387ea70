/**
 * The ledger shared by two "machines" (issue 10, "Must show"). This kernel has no NFS client or server
 * (CONFIG_NFS_FS / CONFIG_NFSD are not built and it cannot load modules), so a loopback NFS mount cannot be had;
 * instead every worker runs in its own network, UTS (hostname) and PID namespace, with a private mount namespace
 * in which the shared folder is bind-mounted at one common path — what two hosts mounting one export see. Hosts
 * differ ("machine-a" / "machine-b") and every worker is pid 1 of its namespace, so anything that trusted a pid
 * or a hostname-free identity would collide here. Needs root (unshare, mount); it FAILS, never skips, when the
 * machine cannot make namespaces — every machine of this project (developers', CI) runs as root.
 */
import { execFileSync } from "child_process";
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
  type WorkerConfig,
  type WorkerTask,
} from "../test-support/ledger-workers";
import { Project } from "./project";

const WORKERS_TIMEOUT_MS = 150_000;
let shared: string;
let mountPoint: string;
const started: WorkerProcess[] = [];

/** unshare line that runs a command as host `host` with `shared` mounted at `mountPoint`, pid 1 of a new PID ns. */
function machine(host: string): string[] {
  return [
    "unshare", "--mount", "--propagation", "private", "--net", "--uts", "--pid", "--fork", "--kill-child", "--",
    "sh", "-c", 'mount --bind "$1" "$2" && hostname "$3" && shift 3 && exec "$@"', "sh", shared, mountPoint, host,
  ];
}

function spawnOn(host: string, config: Omit<WorkerConfig, "root">): WorkerProcess {
  const worker = new WorkerProcess({ ...config, root: mountPoint }, machine(host));
  started.push(worker);
  return worker;
}

beforeAll(() => {
  ensureBuiltPackage();
  shared = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-ledger-shared-"));
  mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-ledger-mnt-"));
  try {
    const probe = execFileSync(machine("probe")[0], [...machine("probe").slice(1), "sh", "-c", 'echo "$(hostname) $$"'], {
      encoding: "utf8",
      timeout: 20_000,
    });
    if (probe.trim() !== "probe 1") throw new Error(`unexpected probe output ${JSON.stringify(probe)}`);
  } catch (error) {
    throw new Error(
      `This test needs Linux network/UTS/PID/mount namespaces and bind mounts (run as root; unshare from util-linux): ` +
        `${(error as Error).message}`,
    );
  }
}, 600_000);

afterAll(() => {
  for (const worker of started) worker.kill();
  // The bind mounts lived only in the workers' private mount namespaces; the host's mount point stays empty.
  expect(fs.readdirSync(mountPoint)).toEqual([]);
  fs.rmSync(shared, { recursive: true, force: true });
  fs.rmdirSync(mountPoint);
});

describe("ledger shared by two network namespaces (hosts machine-a and machine-b, each worker pid 1)", () => {
  it("8 workers on two hosts × 50 overlapping runs: nothing lost or duplicated, resume reuses exactly the done runs", async () => {
    const relpath = "sweep";
    const taskLists = Array.from({ length: 8 }, (_, w) => overlappingTasks({ seed: 2000 + w, poolSize: 100, count: 50, identifier: "sta" }));
    const pass = async (): Promise<WorkerProcess[]> => {
      const workers = taskLists.map((tasks, w) => spawnOn(w % 2 === 0 ? "machine-a" : "machine-b", { relpath, worker: w, tasks, ttlMs: 30_000 }));
      await waitForWorkers(workers, WORKERS_TIMEOUT_MS);
      for (const worker of workers) {
        expect(worker.stderr).toBe("");
        expect(await worker.exited).toEqual({ code: 0, signal: null });
      }
      return workers;
    };
    const first = (await pass()).flatMap((w) => w.lines).filter((l) => l.outcome !== "started");
    expect(first).toHaveLength(400);
    expect(new Set(first.map((l) => `${l.host}/${l.pid}`))).toEqual(new Set(["machine-a/1", "machine-b/1"]));

    const distinct = new Map<number, WorkerTask>(taskLists.flat().map((t) => [t.key, t]));
    const runs = new Project(shared, { relpath }).findRuns("sta");
    expect(runs).toHaveLength(distinct.size);
    expect(new Set(runs.map((r) => r.paramsHash)).size).toBe(distinct.size);
    const files = ledgerFiles(shared);
    expect(files.temps).toEqual([]);
    for (const file of files.json) expect(() => JSON.parse(fs.readFileSync(file, "utf8"))).not.toThrow();
    const statuses = runs.map((r) => r.status);
    const failing = [...distinct.values()].filter((t) => t.fail).length;
    expect(statuses.filter((s) => s === "error")).toHaveLength(failing);
    expect(statuses.filter((s) => s === "done")).toHaveLength(distinct.size - failing);
    for (const key of distinct.keys()) {
      if (distinct.get(key)!.fail) continue;
      expect(first.filter((l) => l.task === key && l.outcome === "done")).toHaveLength(1);
    }
    // Artefacts attached from inside the namespaces resolve from the host's path of the shared folder.
    const done = runs.find((r) => r.status === "done")!;
    expect(fs.existsSync(done.files.result)).toBe(true);

    const second = (await pass()).flatMap((w) => w.lines).filter((l) => l.outcome !== "started");
    expect(second.filter((l) => l.outcome === "reused")).toHaveLength(taskLists.flat().filter((t) => !t.fail).length);
    expect(second.filter((l) => l.outcome === "done")).toEqual([]);
    expect(new Project(shared, { relpath }).findRuns("sta")).toHaveLength(distinct.size);
  }, 400_000);

  it("a worker SIGKILLed on machine-a is reclaimed by a worker on machine-b once its heartbeat expires", async () => {
    const relpath = "killed";
    const task: WorkerTask = { identifier: "sta", key: 5, params: taskParams(5, 0), fail: false };
    const victim = spawnOn("machine-a", { relpath, worker: "victim", tasks: [task], ttlMs: 1500, hold: "sleep", holdMs: 600_000 });
    const startedLine = await victim.waitForLine((l) => l.outcome === "started", 60_000);
    victim.kill("SIGKILL"); // kills unshare; --kill-child takes the worker (pid 1 of its namespace) with it
    await waitForWorkers([victim], 30_000);
    const rescuer = spawnOn("machine-b", { relpath, worker: "rescuer", tasks: [task], ttlMs: 1500, retryBusyMs: 60_000 });
    await waitForWorkers([rescuer], 90_000);
    expect(rescuer.stderr).toBe("");
    expect(rescuer.lines.map((l) => [l.outcome, l.uid])).toEqual([
      ["started", startedLine.uid],
      ["done", startedLine.uid],
    ]);
    const [run] = new Project(shared, { relpath }).findRuns("sta");
    expect(run.state().attempts.map((a) => [a.status, a.host, a.pid])).toEqual([
      ["running", "machine-a", 1],
      ["done", "machine-b", 1],
    ]);
  }, 600_000);
});
