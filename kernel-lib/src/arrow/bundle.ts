/**
 * Arrow tables as display bundles (DESIGN §6): the IPC stream in base64 for the extension, an HTML preview of the
 * first rows for every other viewer, and one line of text.
 *
 *   table ──estimate size──▶ (first rows that fit the cap) ──tableToIPC(stream)──▶ base64 ──▶ ArrowBundle
 */
import { tableToIPC, type Table } from "apache-arrow";
import { ConfigurationError } from "../errors";
import { htmlTable, shorten } from "../display/html";
import {
  TABLE_SESSION_ID_KEY,
  TABLE_UNIT_ID_COLUMN_KEY,
  ARROW_BUNDLE_MAX_BYTES,
  ARROW_MIME,
  HTML_MIME,
  JUPYTER_DISPLAY,
  PLAIN_MIME,
  type ArrowBundle,
  type ArrowPayload,
} from "../display/protocol";
import { defaultDisplayWriter, type DisplayWriter } from "../display/writer";
import { messages } from "./messages";

/** Options of {@link tableToBundle}. */
export interface TableBundleOptions {
  /** Upper bound of the base64 data; a larger table is cut to its first rows. Default 4 MiB. */
  maxBytes?: number;
  /** Rows in the HTML preview. Default 20. */
  previewRows?: number;
}

// Schema and record-batch headers of the IPC stream, per column and fixed, in bytes (generous).
const IPC_OVERHEAD_BYTES = 1024;
const IPC_OVERHEAD_PER_COLUMN_BYTES = 256;

/**
 * The display bundle of `table`. The size is estimated from the table's buffers before anything is encoded; a table
 * over `maxBytes` is cut to the rows that fit and the bundle says so (`totalRows` in the payload, a note in the
 * preview) — write the whole table with `writeArrow` instead.
 */
export function tableToBundle(table: Table, options: TableBundleOptions = {}): ArrowBundle {
  const maxBytes = options.maxBytes ?? ARROW_BUNDLE_MAX_BYTES;
  if (!(maxBytes > 0)) throw new ConfigurationError(messages.badMaxBytes(maxBytes));
  const previewRows = options.previewRows ?? 20;
  const totalRows = table.numRows;
  let rows = totalRows;
  const estimate = estimateBase64Bytes(table);
  if (estimate > maxBytes) rows = Math.floor((totalRows * maxBytes) / estimate);
  let ipc = tableToIPC(rows === totalRows ? table : table.slice(0, rows), "stream");
  // The estimate is an upper bound in practice; this loop only guards against surprises.
  while (base64Length(ipc.byteLength) > maxBytes && rows > 0) {
    rows = Math.floor(rows / 2);
    ipc = tableToIPC(table.slice(0, rows), "stream");
  }
  const payload: ArrowPayload = {
    schema: 1,
    encoding: "arrow-ipc-stream",
    base64: Buffer.from(ipc.buffer, ipc.byteOffset, ipc.byteLength).toString("base64"),
    numRows: rows,
    numCols: table.numCols,
    bytes: ipc.byteLength,
    totalRows,
    ...unitRowsOf(table),
  };
  return {
    [ARROW_MIME]: payload,
    [HTML_MIME]: tablePreviewHtml(table, { previewRows, encodedRows: rows }),
    [PLAIN_MIME]: tableText(table),
  };
}

/** The session and unit-id column a units table names in its schema metadata (`unitsTable` sets them). */
function unitRowsOf(table: Table): Pick<ArrowPayload, "sessionId" | "unitIdColumn"> {
  const sessionId = table.schema.metadata.get(TABLE_SESSION_ID_KEY);
  const unitIdColumn = table.schema.metadata.get(TABLE_UNIT_ID_COLUMN_KEY);
  if (!sessionId || !unitIdColumn || !table.schema.fields.some((field) => field.name === unitIdColumn)) return {};
  return { sessionId, unitIdColumn };
}

/** Bytes the base64 IPC stream of `table` will take, at most (from the table's buffers, without encoding). */
export function estimateBase64Bytes(table: Table): number {
  let bytes = IPC_OVERHEAD_BYTES + IPC_OVERHEAD_PER_COLUMN_BYTES * table.numCols;
  for (const data of table.data) bytes += data.byteLength;
  return base64Length(bytes);
}

function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** One line: size and column names. */
export function tableText(table: Table): string {
  const names = table.schema.fields.map((field) => field.name);
  return shorten(`Arrow table: ${table.numRows} rows × ${table.numCols} columns (${names.join(", ")})`, 300);
}

/** An escaped HTML table of the first rows (the static fallback). */
export function tablePreviewHtml(table: Table, options: { previewRows: number; encodedRows?: number }): string {
  const fields = table.schema.fields;
  const shown = Math.min(options.previewRows, table.numRows);
  const columns = fields.map((field) => table.getChild(field.name));
  const rows: string[][] = [];
  for (let r = 0; r < shown; r++) rows.push(columns.map((column) => formatCell(column?.get(r))));
  const notes = [`${table.numRows} rows × ${table.numCols} columns${shown < table.numRows ? `, first ${shown} shown` : ""}`];
  const encoded = options.encodedRows ?? table.numRows;
  if (encoded < table.numRows) notes.push(`only the first ${encoded} rows are in this output; writeArrow(table, path) saves all`);
  return `<div class="hdmea-arrow">${htmlTable({ caption: notes.join("; "), header: fields.map((f) => f.name), rows })}</div>`;
}

/** A table cell as short text. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return shorten(value, 80);
  if (ArrayBuffer.isView(value) || Array.isArray(value)) return `[${(value as ArrayLike<unknown>).length} values]`;
  return shorten(String(value), 80);
}

/** Options of {@link showTable}. */
export interface ShowTableOptions extends TableBundleOptions {
  writer?: DisplayWriter;
}

/**
 * Shows `table` as a new output (Arrow for the extension, HTML preview elsewhere). Returns nothing: tslab prints the
 * value of a cell's last expression unless it is null or undefined, so a cell ending in `showTable(…)` shows the
 * table and no extra line (like the `plot*` functions: see `PlotResult`); {@link tableToBundle} gives the bundle.
 */
export function showTable(table: Table, options: ShowTableOptions = {}): void {
  const { writer, ...bundleOptions } = options;
  (writer ?? defaultDisplayWriter()).write(tableToBundle(table, bundleOptions));
}

/** An object that displays `table` in kernels that look for `Symbol.for("Jupyter.display")`. */
export function tableDisplayable(table: Table, options: TableBundleOptions = {}): { [JUPYTER_DISPLAY](): ArrowBundle } {
  return { [JUPYTER_DISPLAY]: () => tableToBundle(table, options) };
}
