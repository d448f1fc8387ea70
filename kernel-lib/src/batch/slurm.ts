/**
 * `batch submit`: stage 1 as SLURM job arrays over the manifest indices still to compute, throttled with `%N`,
 * split into several arrays when they exceed the site's `MaxArraySize`, and stage 2 as one job that depends on
 * all of them with `afterok`.
 *
 *   find sbatch → indices to do → chunk by MaxArraySize → write scripts → sbatch each → sbatch stage 2 (afterok)
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BatchError } from "../errors";
import type { BatchConfig } from "./config";
import { checkCompleteness } from "./completeness";
import type { BatchManifest } from "./manifest";
import { batchMessages as messages } from "./messages";

/** SLURM's default MaxArraySize (array indices 0…1000). */
export const SLURM_DEFAULT_MAX_ARRAY_SIZE = 1001;

/** Options of {@link submitBatch}. */
export interface SubmitOptions {
  /** At most this many array tasks at once (`%N`). Default: the config's `resources.max_parallel`. */
  readonly maxParallel?: number | null;
  /** The sbatch command. Default `sbatch` on the PATH. */
  readonly sbatch?: string;
  /** The scontrol command (for MaxArraySize). Default `scontrol` on the PATH. */
  readonly scontrol?: string;
  /** Environment of the submit commands (SLURM_CONF etc.). Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** One array job covering part of the manifest: task id + offset = manifest index. */
export interface ArrayChunk {
  readonly offset: number;
  /** Task ids (manifest index − offset). */
  readonly taskIds: readonly number[];
}

/** What was submitted. */
export interface SubmitResult {
  readonly stage1: readonly { readonly jobId: string; readonly script: string; readonly chunk: ArrayChunk }[];
  readonly stage2: { readonly jobId: string; readonly script: string };
  readonly maxArraySize: number;
  /** Manifest indices submitted for stage 1 (complete recordings are left out). */
  readonly indices: readonly number[];
}

/** Submits the batch; throws `BatchError` when sbatch is missing (before writing anything) or refuses a job. */
export async function submitBatch(config: BatchConfig, manifest: BatchManifest, options: SubmitOptions = {}): Promise<SubmitResult> {
  const env = options.env ?? process.env;
  const sbatch = requireSbatch(options);
  const maxArraySize = config.resources.maxArraySize ?? queryMaxArraySize(options.scontrol ?? "scontrol", env) ?? SLURM_DEFAULT_MAX_ARRAY_SIZE;
  const maxParallel = options.maxParallel === undefined ? config.resources.maxParallel : options.maxParallel;

  const indices: number[] = [];
  for (const entry of manifest.recordings) {
    if ((await checkCompleteness(config, entry)).state !== "complete") indices.push(entry.index);
  }
  const slurmDir = path.join(config.outputDir, "slurm");
  fs.mkdirSync(path.join(slurmDir, "logs"), { recursive: true });
  const stage1: { jobId: string; script: string; chunk: ArrayChunk }[] = [];
  splitIntoArrays(indices, maxArraySize).forEach((chunk, k) => {
    const script = path.join(slurmDir, `stage1-${k}.sbatch`);
    writeScript(script, stage1Script(config, chunk, maxParallel, slurmDir));
    stage1.push({ jobId: runSbatch(sbatch, [script], env), script, chunk });
  });
  const stage2Path = path.join(slurmDir, "stage2.sbatch");
  writeScript(stage2Path, stage2Script(config, slurmDir));
  const dependency = stage1.length > 0 ? [`--dependency=afterok:${stage1.map((job) => job.jobId).join(":")}`] : [];
  const stage2 = { jobId: runSbatch(sbatch, [...dependency, stage2Path], env), script: stage2Path };
  return { stage1, stage2, maxArraySize, indices };
}

/** The sbatch executable; throws `BatchError` when it is not there (checked before anything is written). */
export function requireSbatch(options: Pick<SubmitOptions, "sbatch" | "env"> = {}): string {
  const sbatch = resolveCommand(options.sbatch ?? "sbatch", options.env ?? process.env);
  if (sbatch === null) throw new BatchError(messages.sbatchMissing(options.sbatch ?? "sbatch"));
  return sbatch;
}

/**
 * Splits manifest indices into arrays whose task ids stay below `maxArraySize` (SLURM's limit is on the index
 * value, not the count): each chunk has an offset, and its task ids are index − offset.
 */
export function splitIntoArrays(indices: readonly number[], maxArraySize: number): ArrayChunk[] {
  const chunks: ArrayChunk[] = [];
  let current: { offset: number; taskIds: number[] } | null = null;
  for (const index of [...indices].sort((a, b) => a - b)) {
    if (current === null || index - current.offset >= maxArraySize) {
      current = { offset: index, taskIds: [] };
      chunks.push(current);
    }
    current.taskIds.push(index - current.offset);
  }
  return chunks;
}

/** `0,1,2,5,7,8` → `0-2,5,7-8`. */
export function arraySpec(taskIds: readonly number[]): string {
  const parts: string[] = [];
  let start = -1;
  let previous = -2;
  for (const id of [...taskIds, Number.NaN]) {
    if (id === previous + 1) {
      previous = id;
      continue;
    }
    if (start >= 0) parts.push(start === previous ? String(start) : `${start}-${previous}`);
    start = id;
    previous = id;
  }
  return parts.join(",");
}

function resourceLines(config: BatchConfig): string[] {
  const r = config.resources;
  const lines = [`#SBATCH --cpus-per-task=${r.cpusPerTask}`];
  if (r.memory !== null) lines.push(`#SBATCH --mem=${r.memory}`);
  if (r.time !== null) lines.push(`#SBATCH --time=${r.time}`);
  if (r.partition !== null) lines.push(`#SBATCH --partition=${r.partition}`);
  if (r.account !== null) lines.push(`#SBATCH --account=${r.account}`);
  for (const arg of r.sbatchArgs) lines.push(`#SBATCH ${arg}`);
  return lines;
}

function hdmeaCommand(config: BatchConfig): string {
  const node = config.resources.nodePath ?? process.execPath;
  const cli = path.resolve(__dirname, "..", "cli", "main.js");
  const main = fs.existsSync(cli) ? cli : path.resolve(__dirname, "..", "..", "dist", "cli", "main.js");
  return `${shellQuote(node)} ${shellQuote(main)} batch run --config ${shellQuote(config.filePath)}`;
}

/** The sbatch script of one stage-1 array. */
export function stage1Script(config: BatchConfig, chunk: ArrayChunk, maxParallel: number | null, slurmDir: string): string {
  const throttle = maxParallel === null ? "" : `%${maxParallel}`;
  return [
    "#!/bin/bash",
    `#SBATCH --job-name=${jobName(config, "s1")}`,
    `#SBATCH --array=${arraySpec(chunk.taskIds)}${throttle}`,
    `#SBATCH --output=${path.join(slurmDir, "logs", "stage1-%A_%a.out")}`,
    ...resourceLines(config),
    "set -euo pipefail",
    `exec ${hdmeaCommand(config)} --stage 1 --array --index-offset ${chunk.offset}`,
    "",
  ].join("\n");
}

/** The sbatch script of stage 2. */
export function stage2Script(config: BatchConfig, slurmDir: string): string {
  return [
    "#!/bin/bash",
    `#SBATCH --job-name=${jobName(config, "s2")}`,
    `#SBATCH --output=${path.join(slurmDir, "logs", "stage2-%j.out")}`,
    ...resourceLines(config),
    "set -euo pipefail",
    `exec ${hdmeaCommand(config)} --stage 2`,
    "",
  ].join("\n");
}

function jobName(config: BatchConfig, stage: string): string {
  return `hdmea-${config.name.replace(/[^A-Za-z0-9_.-]/g, "_")}-${stage}`;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function writeScript(file: string, text: string): void {
  const temp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temp, text, { mode: 0o755 });
  fs.renameSync(temp, file);
}

function runSbatch(sbatch: string, args: readonly string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync(sbatch, ["--parsable", ...args], { env, encoding: "utf8", timeout: 60_000 });
  if (result.error !== undefined) throw new BatchError(messages.sbatchFailed(sbatch, null, result.error.message), { cause: result.error });
  if (result.status !== 0) throw new BatchError(messages.sbatchFailed(sbatch, result.status, result.stderr));
  const jobId = /^(\d+)/.exec(result.stdout.trim())?.[1];
  if (jobId === undefined) throw new BatchError(messages.sbatchNoJobId(result.stdout));
  return jobId;
}

/** MaxArraySize from `scontrol show config`, or null when scontrol is missing or does not say. */
export function queryMaxArraySize(scontrol: string, env: NodeJS.ProcessEnv): number | null {
  const command = resolveCommand(scontrol, env);
  if (command === null) return null;
  const result = spawnSync(command, ["show", "config"], { env, encoding: "utf8", timeout: 30_000 });
  if (result.status !== 0 || typeof result.stdout !== "string") return null;
  return parseMaxArraySize(result.stdout);
}

/** The MaxArraySize line of `scontrol show config` output. */
export function parseMaxArraySize(output: string): number | null {
  const match = /^\s*MaxArraySize\s*=\s*(\d+)/m.exec(output);
  return match === null ? null : Number(match[1]);
}

/** An executable path for `command` (as given when it has a slash, else looked up on PATH), or null. */
export function resolveCommand(command: string, env: NodeJS.ProcessEnv): string | null {
  const candidates = command.includes("/") ? [command] : (env.PATH ?? "").split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, command));
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
