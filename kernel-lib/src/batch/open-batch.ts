/**
 * `openBatch("batch.toml")`: the batch from a notebook cell or the command line — run it locally, submit it to
 * SLURM, ask its status, read and chart its stage-2 table. Every stage-1 recording and stage 2 are ledger runs
 * (`<output>/runs`). In a kernel, `run`, `submit` and `status` show a live batch display (per-recording state,
 * failures with their errors) that updates in place, plus a progress bar while running.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import { tableFromIPC, type Table } from "apache-arrow";
import { showTable } from "../arrow/bundle";
import { plotResult, plotSpec, type PlotOptions, type PlotResult } from "../display/charts/chart";
import { featureAcrossSpec } from "../display/charts/feature-across";
import { BatchDisplay } from "../display/batch-display";
import { startProgress } from "../display/progress";
import type { BatchItem } from "../display/protocol";
import { defaultDisplayWriter, type DisplayWriter } from "../display/writer";
import { BatchError, FileNotFoundError } from "../errors";
import { arrayIndexFromEnv, type ArrayIndex } from "./array-task";
import { BatchConfig } from "./config";
import { runLocal, type BatchEvent, type LocalRunSummary } from "./local-scheduler";
import { freezeManifest, manifestEntry, readManifest, requireManifest, type BatchManifest } from "./manifest";
import { batchMessages as messages } from "./messages";
import { batchRuns, type BatchRuns } from "./runs";
import { requireSbatch, submitBatch, type SubmitOptions, type SubmitResult } from "./slurm";
import { runRecordingHere, type RecordingOutcome } from "./stage1";
import { runStage2, stage2Paths, type Stage2Result } from "./stage2";
import { batchStatus, countStates, statusLines, statusTable, type RecordingState, type RecordingStatus } from "./status";

/** Options of {@link Batch.run}. */
export interface BatchRunOptions {
  /** Worker processes. Default: `local.workers` of the batch file. */
  workers?: number;
  /** 1 = per-recording sessions, 2 = the aggregate table, "all" (default) = 1 then 2. */
  stage?: 1 | 2 | "all";
  /** Only these manifest indices (stage 1). Default: all. */
  indices?: readonly number[];
  /** Show the live display. Default: when running in a kernel. */
  show?: boolean;
  /** Writer of the displays (tests). Default: the kernel's. */
  writer?: DisplayWriter;
  /** Called for every recording event. */
  onEvent?: (event: BatchEvent) => void;
  /** Stop cleanly on Ctrl+C / kernel interrupt. Default true. */
  handleSigint?: boolean;
}

/** What {@link Batch.run} did. */
export interface BatchRunResult {
  readonly manifest: BatchManifest;
  readonly stage1: LocalRunSummary | null;
  readonly stage2: Stage2Result | null;
}

/** Options of {@link Batch.runTask}. */
export interface BatchTaskOptions {
  /** The manifest index; default the array index from the environment. */
  index?: number;
  /** Added to the environment's array index (the submit script sets it when an array covers a later part). */
  indexOffset?: number;
  /** Environment to read the array index from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The status of a batch. */
export interface BatchStatusReport {
  readonly rows: readonly RecordingStatus[];
  readonly counts: Readonly<Record<RecordingState, number>>;
  /** One row per recording: index, recording_id, state, detail, unit_count, host, pid, finished_at. */
  readonly table: Table;
  /** The status as text lines (what `hdmea batch status` prints). */
  readonly lines: readonly string[];
}

/** A batch opened from its file. */
export class Batch {
  readonly config: BatchConfig;
  /** Stable id of this batch (from its file path), carried by every display of it. */
  readonly batchId: string;
  private runsCache: BatchRuns | null = null;

  constructor(config: BatchConfig) {
    this.config = config;
    this.batchId = createHash("sha256").update(config.filePath).digest("hex").slice(0, 12);
  }

  /** The batch's ledger runs. */
  get runs(): BatchRuns {
    this.runsCache ??= batchRuns(this.config);
    return this.runsCache;
  }

  /** The frozen manifest, or null before the first run or submit. */
  manifest(): BatchManifest | null {
    return readManifest(this.config);
  }

  /** Freezes the recording list (new recordings are appended; existing indices never move). */
  freeze(): Promise<BatchManifest> {
    return freezeManifest(this.config);
  }

  /** Runs the batch here: stage 1 with local worker processes, then stage 2. */
  async run(options: BatchRunOptions = {}): Promise<BatchRunResult> {
    const stage = options.stage ?? "all";
    const manifest = await this.freeze();
    const show = options.show ?? (options.writer !== undefined || defaultDisplayWriter().inKernel);
    const workers = options.workers ?? this.config.local.workers;
    const display = show ? this.display(manifest, `stage ${stage === "all" ? "1 + 2" : stage} (local, ${workers} worker${workers === 1 ? "" : "s"})`, options.writer) : null;
    let stage1: LocalRunSummary | null = null;
    let stage2: Stage2Result | null = null;
    try {
      if (stage !== 2) {
        const chosen = options.indices === undefined ? manifest.recordings.length : options.indices.length;
        const progress = show ? startProgress({ label: `${this.config.name}: stage 1`, total: chosen, writer: options.writer ?? defaultDisplayWriter(), output: "display" }) : null;
        stage1 = await runLocal(this.config, manifest, this.runs, {
          workers,
          indices: options.indices,
          handleSigint: options.handleSigint,
          onEvent: (event) => {
            display?.setItem(event.index, itemChange(event));
            if (event.type !== "started") progress?.advance(1, `${event.recordingId} ${event.type}`);
            options.onEvent?.(event);
          },
        });
        if (stage1.interrupted) progress?.fail(new BatchError("interrupted"));
        else progress?.finish(`${stage1.computed} computed, ${stage1.skipped} already done, ${stage1.failed.length} failed`);
      }
      if (stage !== 1 && !(stage1?.interrupted ?? false)) stage2 = await runStage2(this.config, manifest, this.runs);
      display?.finish(stage1?.interrupted ? "interrupted" : (stage1?.failed.length ?? 0) > 0 ? "failed" : "done");
    } catch (error) {
      display?.finish("failed");
      throw error;
    }
    return { manifest, stage1, stage2 };
  }

  /**
   * Stage 1 of one recording in this process: the manifest index given, or the array index of the environment
   * (SLURM_ARRAY_TASK_ID / SGE_TASK_ID / PBS_ARRAY_INDEX) plus `indexOffset`. Throws `BatchError` when there is no
   * index or it is out of range; a failing recording is recorded and returned, not thrown.
   */
  async runTask(options: BatchTaskOptions = {}): Promise<RecordingOutcome> {
    let where: ArrayIndex;
    if (options.index !== undefined) {
      await this.freeze();
      where = { index: options.index, source: "--index" };
    } else {
      const fromEnv = arrayIndexFromEnv(options.env ?? process.env);
      if (fromEnv === null) throw new BatchError(messages.noArrayIndex());
      const offset = options.indexOffset ?? 0;
      where = { index: fromEnv.index + offset, source: offset === 0 ? fromEnv.source : `${fromEnv.source} + offset ${offset}` };
    }
    const entry = manifestEntry(requireManifest(this.config), where.index, where.source);
    return runRecordingHere(this.config, entry, this.runs);
  }

  /** Stage 2 alone: the aggregate table and summary from the complete session files. */
  runStage2(): Promise<Stage2Result> {
    return runStage2(this.config, requireManifest(this.config), this.runs);
  }

  /** Freezes the manifest and submits stage 1 as SLURM array(s) and stage 2 after them (`afterok`). */
  async submit(options: SubmitOptions & { show?: boolean; writer?: DisplayWriter } = {}): Promise<SubmitResult> {
    requireSbatch(options);
    const manifest = await this.freeze();
    const result = await submitBatch(this.config, manifest, options);
    const show = options.show ?? (options.writer !== undefined || defaultDisplayWriter().inKernel);
    if (show) {
      const jobs = `SLURM jobs ${result.stage1.map((job) => job.jobId).join(", ") || "none"} → ${result.stage2.jobId}`;
      const display = this.display(manifest, jobs, options.writer);
      const submitted = new Set(result.indices);
      for (const entry of manifest.recordings) display.setItem(entry.index, { state: submitted.has(entry.index) ? "queued" : "skipped" });
      display.finish("idle");
    }
    return result;
  }

  /** Done / failed / missing / stale / running per recording, with errors; shown as a table in a kernel. */
  async status(options: { show?: boolean; writer?: DisplayWriter } = {}): Promise<BatchStatusReport> {
    const manifest = requireManifest(this.config);
    const rows = await batchStatus(this.config, manifest, this.runs);
    const report: BatchStatusReport = { rows, counts: countStates(rows), table: statusTable(rows), lines: statusLines(rows) };
    const show = options.show ?? (options.writer !== undefined || defaultDisplayWriter().inKernel);
    if (show) {
      const display = this.display(manifest, "status", options.writer);
      for (const row of rows) display.setItem(row.index, { state: row.state, detail: row.detail, unitCount: row.unitCount });
      display.finish("idle");
      showTable(report.table, { writer: options.writer });
    }
    return report;
  }

  /** The stage-2 table (every unit of every recording, with `recording_id`), read from `units.arrow`. */
  table(): Table {
    const { tablePath } = stage2Paths(this.config);
    if (!fs.existsSync(tablePath)) throw new FileNotFoundError(tablePath, messages.noStage2Table(tablePath));
    return tableFromIPC(fs.readFileSync(tablePath));
  }

  /**
   * Charts one numeric column of the stage-2 table across recordings (a box and the units per recording). Resolves
   * to nothing once shown; `show: false` only builds the chart and resolves to it ({@link PlotResult}).
   */
  plotFeature<O extends PlotOptions = PlotOptions>(column: string, options: O = {} as O): Promise<PlotResult<O>> {
    const table = this.table();
    return plotResult(plotSpec(featureAcrossSpec({ table, column }), `${column} across ${table.numRows} units`, options), options);
  }

  toString(): string {
    return `Batch ${this.config.name} (${this.config.filePath})`;
  }

  private display(manifest: BatchManifest, activity: string, writer: DisplayWriter | undefined): BatchDisplay {
    const items: BatchItem[] = manifest.recordings.map((entry) => ({ index: entry.index, id: entry.recordingId, state: "queued", detail: "", unitCount: null }));
    return new BatchDisplay({ batchId: this.batchId, kind: "batch", name: this.config.name, items, activity, writer });
  }
}

function itemChange(event: BatchEvent): Partial<Omit<BatchItem, "index" | "id">> {
  switch (event.type) {
    case "started":
      return { state: "running", detail: "" };
    case "done":
      return { state: "done", detail: "", unitCount: event.unitCount ?? null };
    case "skipped":
      return { state: "skipped", detail: "already complete", unitCount: event.unitCount ?? null };
    case "failed":
      return { state: "failed", detail: event.error ?? "" };
    case "busy":
      return { state: "running", detail: "running in another process" };
  }
}

/** Opens a batch file (TOML or YAML); see {@link BatchConfig.fromFile} for its keys. */
export function openBatch(filePath: string): Batch {
  return new Batch(BatchConfig.fromFile(filePath));
}
