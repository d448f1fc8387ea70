/**
 * Stage 2: one table of every unit of every recording whose stage 1 is complete — the columns of `unitsTable` with
 * `recording_id` and `recording_index` in front — written as an Arrow IPC file (pyarrow.ipc.open_file /
 * pandas.read_feather) plus `summary.json` (per recording: state, unit count, error). Both written atomically.
 *
 *   status of every recording → load complete sessions → units tables → align columns → write table + summary
 */
import * as fs from "fs";
import * as path from "path";
import { Table, type Vector } from "apache-arrow";
import { cellsToVector, float64Vector, int32Vector, utf8Vector, type Cell } from "../arrow/columns";
import { unitsTable } from "../arrow/units-table";
import { writeArrow } from "../arrow/write";
import { BatchError } from "../errors";
import { writeFileAtomically } from "../hdf5/atomic-write";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { nowIso } from "../session/time";
import type { BatchConfig } from "./config";
import type { BatchManifest } from "./manifest";
import { batchMessages as messages } from "./messages";
import type { BatchRuns } from "./runs";
import { batchStatus, countStates, type RecordingStatus } from "./status";

/** Where stage 2 writes. */
export function stage2Paths(config: BatchConfig): { tablePath: string; summaryPath: string } {
  return { tablePath: path.join(config.outputDir, "units.arrow"), summaryPath: path.join(config.outputDir, "summary.json") };
}

/** What stage 2 produced. */
export interface Stage2Result {
  readonly tablePath: string;
  readonly summaryPath: string;
  readonly table: Table;
  readonly recordings: readonly RecordingStatus[];
}

/** Builds and writes the aggregate table and the summary; recorded as the ledger run `stage2`. */
export async function runStage2(config: BatchConfig, manifest: BatchManifest, runs: BatchRuns): Promise<Stage2Result> {
  const statuses = await batchStatus(config, manifest, runs);
  const done = statuses.filter((row) => row.state === "done");
  if (done.length === 0) throw new BatchError(messages.stage2NothingDone(statuses.length));
  const run = runs.stage2Run(done.map((row) => row.recordingId));
  if (!run.tryStart()) throw new BatchError(messages.stage2Busy());
  try {
    const tables: { status: RecordingStatus; table: Table }[] = [];
    for (const status of done) {
      const session = await PipelineSession.load(status.sessionPath, { logger: recordingLogger() });
      tables.push({ status, table: unitsTable(session) });
    }
    const table = aggregateTables(tables.map(({ status, table: t }) => ({ recordingId: status.recordingId, recordingIndex: status.index, table: t })));
    const { tablePath, summaryPath } = stage2Paths(config);
    await writeArrow(table, tablePath);
    const summary = {
      schema: 1,
      batch: config.name,
      createdAt: nowIso(),
      table: path.basename(tablePath),
      totals: { recordings: statuses.length, units: table.numRows, ...countStates(statuses) },
      recordings: statuses.map((row) => ({ index: row.index, recording_id: row.recordingId, state: row.state, unit_count: row.unitCount, detail: row.detail })),
    };
    await writeFileAtomically(summaryPath, (temp) => fs.writeFileSync(temp, `${JSON.stringify(summary, null, 2)}\n`));
    run.done(tablePath);
    return { tablePath, summaryPath, table, recordings: statuses };
  } catch (error) {
    run.error(error);
    throw error;
  }
}

/** One recording's units table, tagged. */
export interface TaggedUnits {
  readonly recordingId: string;
  readonly recordingIndex: number;
  readonly table: Table;
}

/**
 * Stacks units tables that may have different feature columns: `recording_id`, `recording_index`, then every
 * column in first-seen order, null where a recording lacks it; each column keeps the type it has where it exists.
 */
export function aggregateTables(parts: readonly TaggedUnits[]): Table {
  const order: string[] = [];
  const typeOf = new Map<string, string>();
  for (const { table } of parts) {
    for (const field of table.schema.fields) {
      if (!typeOf.has(field.name)) {
        order.push(field.name);
        typeOf.set(field.name, String(field.type));
      }
    }
  }
  const cells = new Map<string, Cell[]>(order.map((name) => [name, []]));
  const recordingIds: string[] = [];
  const recordingIndices: number[] = [];
  for (const { recordingId, recordingIndex, table } of parts) {
    for (let row = 0; row < table.numRows; row++) {
      recordingIds.push(recordingId);
      recordingIndices.push(recordingIndex);
    }
    for (const name of order) {
      const column = table.getChild(name);
      const target = cells.get(name) as Cell[];
      for (let row = 0; row < table.numRows; row++) target.push(column === null ? null : toCell(column.get(row)));
    }
  }
  const columns: Record<string, Vector> = { recording_id: utf8Vector(recordingIds), recording_index: int32Vector(recordingIndices) };
  for (const name of order) {
    const values = cells.get(name) as Cell[];
    const type = typeOf.get(name);
    columns[name] =
      type === "Int32"
        ? int32Vector(values as (number | null)[])
        : type === "Float64"
          ? float64Vector(values as (number | null)[])
          : type === "Utf8"
            ? utf8Vector(values as (string | null)[])
            : cellsToVector(values);
  }
  return new Table(columns);
}

function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return Number(value);
  return String(value);
}
