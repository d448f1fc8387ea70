/**
 * Crash safety of `save()` with real processes (issue 2, "Must show"): a child process built on the compiled
 * package saves a ≈ 200 MB session to one target path again and again; it is killed with SIGKILL at 50 seeded
 * random moments spread over its first save, the rename and its next save. After each kill the target must hold
 * a complete file — the last one the child reported saved, or the one it was writing — that loads with the
 * generation marks of exactly one save; every temporary file left must belong to a dead writer; and the next
 * successful save must leave no temporary file behind.
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PipelineSession } from "../session/session";
import { recordingLogger } from "../session/logger";
import { ensureBuiltPackage } from "../test-support/built-package";
import { staleTempFiles, tempFilesFor } from "./atomic-write";
import { seededRandom } from "../test-support/seeded-random";

const SEED = 20250410;
const KILLS = 50;
const SESSION = { units: 100, spikesPerUnit: 20_000, lightSamples: 22_000_000 };
const STA_VALUES = 60 * 15 * 15;
/** 16 MB spike times + 5.4 MB STAs + 176 MB light reference ≈ 197 MB of arrays. */
const SESSION_BYTES = SESSION.units * (SESSION.spikesPerUnit * 8 + STA_VALUES * 4) + 2 * SESSION.lightSamples * 4;
const CHILD_SCRIPT = path.join(__dirname, "..", "test-support", "crash-save-child.cjs");
const START_TIMEOUT_MS = 60_000;
const SAVE_RUN_TIMEOUT_MS = 120_000;
const EXIT_TIMEOUT_MS = 15_000;


function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One child saver and what it printed, with the time each line arrived. */
class SaverProcess {
  readonly child: ChildProcess;
  readonly lines: { text: string; atMs: number }[] = [];
  /** Resolves when the child has exited and its output is fully read. */
  readonly closed: Promise<void>;
  stderr = "";
  private partial = "";
  private readonly lineListeners = new Set<(text: string) => void>();

  constructor(options: { target: string; startGeneration: number; saves: number }) {
    this.child = spawn(process.execPath, [CHILD_SCRIPT, JSON.stringify({ ...SESSION, ...options })], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout?.setEncoding("utf8");
    this.child.stdout?.on("data", (chunk: string) => this.onData(chunk));
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (chunk: string) => (this.stderr += chunk));
    this.closed = new Promise((resolve) => this.child.on("close", () => resolve()));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  onLine(listener: (text: string) => void): void {
    this.lineListeners.add(listener);
  }

  /** The time `text` arrived, waiting for it at most `timeoutMs`. */
  async waitForLine(text: string, timeoutMs: number): Promise<number> {
    const seen = (): number | undefined => this.lines.find((line) => line.text === text)?.atMs;
    const arrived = new Promise<number>((resolve, reject) => {
      const check = (): void => {
        const at = seen();
        if (at !== undefined) resolve(at);
      };
      this.onLine(check);
      void this.closed.then(() => {
        check();
        reject(new Error(`saver ${this.pid} exited before printing '${text}': ${this.stderr}`));
      });
      check();
    });
    return withTimeout(arrived, timeoutMs, `'${text}' from saver ${this.pid}`);
  }

  /** The last generation the child reported saved, if any. */
  lastSaved(): number | undefined {
    const saved = this.lines.filter((line) => line.text.startsWith("saved ")).map((line) => Number(line.text.slice(6)));
    return saved.length > 0 ? saved[saved.length - 1] : undefined;
  }

  async killAndWait(): Promise<void> {
    this.child.kill("SIGKILL");
    await withTimeout(this.closed, EXIT_TIMEOUT_MS, `saver ${this.pid} to exit after SIGKILL`);
  }

  /** Last resort in `finally`: kill the child by its PID if it is still running. */
  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined) {
      try {
        process.kill(this.child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }

  private onData(chunk: string): void {
    const parts = (this.partial + chunk).split("\n");
    this.partial = parts.pop() ?? "";
    for (const text of parts) {
      this.lines.push({ text, atMs: performance.now() });
      for (const listener of this.lineListeners) listener(text);
    }
  }
}

/** Loads `target` and checks it is one complete save; returns its generation. */
async function loadGeneration(target: string, context: string): Promise<number> {
  const session = await PipelineSession.load(target, { logger: recordingLogger() });
  const generation = session.state.get("generation");
  expect(typeof generation, `${context}: state.generation`).toBe("number");
  const g = generation as number;
  const light = session.stimulus.light_reference as Record<string, unknown>;
  const ch1 = light.raw_ch1 as Float32Array;
  const ch2 = light.raw_ch2 as Float32Array;
  expect(ch1).toBeInstanceOf(Float32Array);
  expect(ch2).toBeInstanceOf(Float32Array);
  expect(
    { units: session.unitCount, bytes: session.memoryEstimateBytes, ch1: [ch1[0], ch1[ch1.length - 1]], ch2: [ch2[0], ch2[ch2.length - 1]] },
    `${context}: content of the file on disk`,
  ).toEqual({ units: SESSION.units, bytes: SESSION_BYTES, ch1: [g, g], ch2: [-g, -g] });
  const lastUnit = session.units[`unit_${String(SESSION.units).padStart(3, "0")}`].spike_times as Float64Array;
  const i = SESSION.spikesPerUnit - 1;
  const u = SESSION.units - 1;
  expect(lastUnit[i], `${context}: last spike time of the last unit`).toBe(u + i * 600 + ((i * 7919 + u) % 500));
  return g;
}

describe("save() under SIGKILL", () => {
  let dir: string;

  beforeAll(() => {
    ensureBuiltPackage();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-"));
  }, 600_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`leaves the previous or the new complete file after each of ${KILLS} kills, and no temporary file after a clean save`, async () => {
    const random = seededRandom(SEED);
    const target = path.join(dir, "session.h5");
    const otherWritersTemp: string[] = [];
    const watchTempFiles = (saver: SaverProcess): void => {
      // Right after a save completes, temp files of earlier (killed) writers must already be gone.
      saver.onLine((text) => {
        if (!text.startsWith("saved ")) return;
        for (const file of tempFilesFor(target)) if (!path.basename(file).includes(`-${saver.pid}-`)) otherWritersTemp.push(file);
      });
    };

    // Two complete saves give the first file and the time one save takes on this machine.
    const first = new SaverProcess({ target, startGeneration: 0, saves: 2 });
    let cycleMs: number;
    try {
      watchTempFiles(first);
      const readyAt = await first.waitForLine("ready", START_TIMEOUT_MS);
      const saved0At = await first.waitForLine("saved 0", SAVE_RUN_TIMEOUT_MS);
      const saved1At = await first.waitForLine("saved 1", SAVE_RUN_TIMEOUT_MS);
      await withTimeout(first.closed, EXIT_TIMEOUT_MS, "the first saver to exit");
      expect(first.child.exitCode, first.stderr).toBe(0);
      cycleMs = Math.max(saved0At - readyAt, saved1At - saved0At);
    } finally {
      first.stop();
    }
    let generation = await loadGeneration(target, "after the first saves");
    expect(generation).toBe(1);

    let killedMidWrite = 0;
    let killedAfterRename = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      // Spread over the child's first save, its rename and most of its second save.
      const delayMs = random() * 1.8 * cycleMs;
      const context = `kill ${kill} (seed ${SEED}, ${delayMs.toFixed(0)} ms into saving)`;
      const saver = new SaverProcess({ target, startGeneration: generation + 1, saves: 0 });
      try {
        watchTempFiles(saver);
        await saver.waitForLine("ready", START_TIMEOUT_MS);
        await sleep(delayMs);
        await saver.killAndWait();
      } finally {
        saver.stop();
      }
      expect(saver.child.signalCode, `${context}: ${saver.stderr}`).toBe("SIGKILL");
      const confirmed = saver.lastSaved() ?? generation;
      const onDisk = await loadGeneration(target, context);
      expect([confirmed, confirmed + 1], `${context}: generation on disk`).toContain(onDisk);

      const temps = tempFilesFor(target);
      expect(staleTempFiles(target).sort(), `${context}: every temp file belongs to a dead writer`).toEqual([...temps].sort());
      if (temps.some((file) => path.basename(file).includes(`-${saver.pid}-`))) killedMidWrite++;
      if (onDisk > generation) killedAfterRename++;
      generation = onDisk;
    }

    const last = new SaverProcess({ target, startGeneration: generation + 1, saves: 1 });
    try {
      watchTempFiles(last);
      await withTimeout(last.closed, SAVE_RUN_TIMEOUT_MS, "the last saver to finish");
    } finally {
      last.stop();
    }
    expect(last.child.exitCode, last.stderr).toBe(0);
    expect(tempFilesFor(target), "temp files after the final clean save").toEqual([]);
    expect(await loadGeneration(target, "after the final save")).toBe(generation + 1);
    expect(otherWritersTemp, "temp files of killed writers still present after a later save completed").toEqual([]);
    // The kill schedule must actually hit writes in progress and completed renames, or the test proves nothing.
    expect(killedMidWrite, "kills that interrupted a write").toBeGreaterThan(0);
    expect(killedAfterRename, "kills after at least one completed save").toBeGreaterThan(0);
    console.log(`crash test: ${killedMidWrite} of ${KILLS} kills interrupted a write; ${killedAfterRename} came after a completed save`);
  }, 900_000);
});
