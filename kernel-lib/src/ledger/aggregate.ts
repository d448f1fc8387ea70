/**
 * Joins one artefact attached to many runs into one Arrow table: a row per artefact row, with the run's uid,
 * identifier and parameters (`param.<dotted key>`) beside the artefact's own columns. Runs are told apart by
 * their uid and parameters, never joined on a uid across identifiers (pycaddy's aggregator assumed lock-step uids).
 *
 * Artefact formats: `.json` (an object → one row, an array of objects → one row each; nested objects become
 * dotted columns, arrays JSON text) and Arrow IPC files (`.arrow`, `.feather`, `.arrows`: every row).
 */
import * as fs from "fs";
import { Table, tableFromIPC, type Vector } from "apache-arrow";
import { cellsToVector, type Cell } from "../arrow/columns";
import { DataLoadError, MissingInputError } from "../errors";
import { messages } from "./messages";
import type { Run } from "./run";

/** Options of {@link aggregateRuns}. */
export interface AggregateRunsOptions {
  /** The runs to join, e.g. `project.findRuns("sta")`. */
  runs: readonly Run[];
  /** Name of the attached file to read from each run (as given to `attachFiles`). */
  file: string;
  /** Add a `param.<key>` column per parameter. Default true. */
  includeParams?: boolean;
  /** Only runs whose status is "done". Default true: a failed run's artefact may be partial. */
  onlyDone?: boolean;
  /** A (selected) run without the file: "error" (default) throws `MissingInputError`, "skip" leaves it out. */
  onMissing?: "error" | "skip";
}

type Row = Record<string, Cell>;

function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return Number(value);
  if (ArrayBuffer.isView(value)) return JSON.stringify(Array.from(value as unknown as ArrayLike<number>, Number));
  return JSON.stringify(value);
}

function flattenInto(row: Row, value: Record<string, unknown>, prefix: string): void {
  for (const [key, member] of Object.entries(value)) {
    const name = prefix === "" ? key : `${prefix}.${key}`;
    if (member !== null && typeof member === "object" && !Array.isArray(member) && !ArrayBuffer.isView(member)) {
      flattenInto(row, member as Record<string, unknown>, name);
    } else {
      row[name] = toCell(member);
    }
  }
}

function readArtefactRows(file: string): Row[] {
  try {
    if (/\.(arrow|feather|arrows)$/i.test(file)) {
      const table = tableFromIPC(fs.readFileSync(file));
      const rows: Row[] = [];
      for (let i = 0; i < table.numRows; i += 1) {
        const row: Row = {};
        flattenInto(row, (table.get(i)?.toJSON() ?? {}) as Record<string, unknown>, "");
        rows.push(row);
      }
      return rows;
    }
    const value: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    const items = Array.isArray(value) ? value : [value];
    return items.map((item) => {
      if (item === null || typeof item !== "object" || Array.isArray(item)) throw new Error("expected an object or an array of objects");
      const row: Row = {};
      flattenInto(row, item as Record<string, unknown>, "");
      return row;
    });
  } catch (error) {
    throw new DataLoadError(file, messages.badArtefact(file, (error as Error).message), { cause: error });
  }
}

/** One Arrow table of artefact `file` across `runs` (see the module comment for columns and formats). */
export function aggregateRuns(options: AggregateRunsOptions): Table {
  const includeParams = options.includeParams ?? true;
  const onlyDone = options.onlyDone ?? true;
  const rows: Row[] = [];
  const columns = new Set<string>(["run_uid", "run_identifier", "run_relpath"]);
  const paramColumns = new Set<string>();
  const artefactColumns = new Set<string>();
  for (const run of [...options.runs].sort((a, b) => a.uidNumber - b.uidNumber)) {
    if (onlyDone && !run.isDone()) continue;
    const file = run.files[options.file];
    if (file === undefined || !fs.existsSync(file)) {
      if (options.onMissing === "skip") continue;
      throw new MissingInputError(options.file, messages.missingArtefact(run.uid, options.file));
    }
    const runCells: Row = { run_uid: run.uid, run_identifier: run.identifier, run_relpath: run.relpath };
    if (includeParams) {
      const params: Row = {};
      flattenInto(params, run.params, "");
      for (const [key, value] of Object.entries(params)) {
        runCells[`param.${key}`] = value;
        paramColumns.add(`param.${key}`);
      }
    }
    for (const artefactRow of readArtefactRows(file)) {
      for (const key of Object.keys(artefactRow)) artefactColumns.add(key);
      rows.push({ ...runCells, ...artefactRow });
    }
  }
  const names = [...columns, ...paramColumns, ...[...artefactColumns].filter((c) => !columns.has(c) && !paramColumns.has(c))];
  const vectors: Record<string, Vector> = {};
  for (const name of names) vectors[name] = cellsToVector(rows.map((row) => row[name] ?? null));
  return new Table(vectors);
}
