/**
 * Shared pieces of the ledger's multi-process tests: spawn `ledger-worker.cjs` (optionally through a wrapper
 * command such as `unshare`), seeded overlapping task lists, and the checks every such test makes on the ledger
 * folder afterwards.
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
export { seededRandom } from "./seeded-random";
import { seededRandom } from "./seeded-random";

export const WORKER_SCRIPT = path.join(__dirname, "ledger-worker.cjs");

export interface WorkerTask {
  identifier: string;
  key: number;
  params: Record<string, unknown>;
  fail: boolean;
}

export interface WorkerConfig {
  root: string;
  relpath?: string;
  ttlMs?: number;
  worker: number | string;
  tasks: WorkerTask[];
  hold?: "none" | "sleep" | "spin";
  holdMs?: number;
  retryBusyMs?: number;
}

export interface WorkerLine {
  worker: number | string;
  host: string;
  pid: number;
  task: number;
  uid: string;
  resume: string;
  outcome: "reused" | "busy" | "started" | "done" | "error";
}

/** One worker process: its parsed output lines, and a promise of its exit. */
export class WorkerProcess {
  readonly child: ChildProcess;
  readonly lines: WorkerLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr = "";
  private partial = "";
  private readonly listeners = new Set<() => void>();

  /** `wrapper`: command and arguments placed before `node ledger-worker.cjs <config>` (e.g. an unshare line). */
  constructor(config: WorkerConfig, wrapper: string[] = []) {
    const command = [...wrapper, process.execPath, WORKER_SCRIPT, JSON.stringify(config)];
    this.child = spawn(command[0], command.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout?.setEncoding("utf8");
    this.child.stdout?.on("data", (chunk: string) => {
      const parts = (this.partial + chunk).split("\n");
      this.partial = parts.pop() ?? "";
      for (const part of parts) if (part.trim() !== "") this.lines.push(JSON.parse(part) as WorkerLine);
      for (const listener of this.listeners) listener();
    });
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.on("close", (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Resolves with the first line matching `test`; rejects after `timeoutMs` or when the process ends first. */
  waitForLine(test: (line: WorkerLine) => boolean, timeoutMs: number): Promise<WorkerLine> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.lines.find(test);
        if (found) {
          finish();
          resolve(found);
        }
        return found !== undefined;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no matching line from worker ${this.pid} within ${timeoutMs} ms; stderr: ${this.stderr}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener = (): void => void check();
      this.listeners.add(listener);
      this.exited.then(() => {
        if (!check()) {
          finish();
          reject(new Error(`worker ${this.pid} exited without the line; stderr: ${this.stderr}`));
        }
      });
      check();
    });
  }

  /** Kills by pid if still running. */
  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

/** Waits for every worker to exit, killing all of them (by pid) if that takes longer than `timeoutMs`. */
export async function waitForWorkers(workers: WorkerProcess[], timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      for (const worker of workers) worker.kill();
      reject(new Error(`workers did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([Promise.all(workers.map((w) => w.exited)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}


/**
 * Parameters of pool entry `key`, spelled differently per worker (key order, typed array or plain array, 2 vs
 * 2.0 written as a float sum) so that only canonical matching makes them meet.
 */
export function taskParams(key: number, spelling: number): Record<string, unknown> {
  const weights = [key / 4, 0.5, 2];
  const cover = [-(key % 40) - 10, 0];
  if (spelling % 2 === 0) return { coverRange: cover, label: `p${key}`, nested: { bins: key % 7, weights } };
  return { nested: { weights: { $f64: weights }, bins: (key % 7) + 0.0 }, label: `p${key}`, coverRange: [cover[0] * 1.0, 0] };
}

/** `count` distinct tasks drawn from a pool of `poolSize` with a seeded shuffle; every tenth key (…3) fails. */
export function overlappingTasks(options: { seed: number; poolSize: number; count: number; identifier: string }): WorkerTask[] {
  const random = seededRandom(options.seed);
  const keys = Array.from({ length: options.poolSize }, (_, k) => k);
  for (let i = keys.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  return keys.slice(0, options.count).map((key) => ({
    identifier: options.identifier,
    key,
    params: taskParams(key, options.seed),
    fail: key % 10 === 3,
  }));
}

/** The JSON files of a ledger folder tree, and leftover temp files (which must not exist once writers exit). */
export function ledgerFiles(root: string): { json: string[]; temps: string[] } {
  const json: string[] = [];
  const temps: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.includes(".tmp-")) temps.push(full);
      else if (entry.name.endsWith(".json")) json.push(full);
    }
  };
  walk(path.join(root, ".hdmea-ledger"));
  return { json, temps };
}
