/** Units map: every unit at its position on the electrode array, coloured by any column of the units table. */
import { ConfigurationError } from "../../errors";
import { messages } from "../messages";
import type { ProtocolJson, VegaLiteSpec } from "../protocol";
import { round, vegaLiteSpec } from "./spec-parts";

/** The part of an Arrow table the map reads (`unitsTable(session)` fits). */
export interface ColumnTable {
  readonly numRows: number;
  readonly schema: { readonly fields: readonly { readonly name: string }[] };
  getChild(name: string): { get(index: number): unknown } | null;
}

/** Options of {@link unitsMapSpec}. */
export interface UnitsMapSpecOptions {
  /** The units table (`unitsTable(session)`), with `unit_id`, `row` and `col` columns. */
  table: ColumnTable;
  /** The column that gives the colour, e.g. "snr", "mean_rate_hz", "sta_polarity". */
  colorBy: string;
  /** Electrodes per side of the array. Default 65. */
  gridSize?: number;
  title?: string;
}

/** Phase 1: one point per unit that has a position. */
export function unitsMapPoints(options: UnitsMapSpecOptions): { unit: string; row: number; col: number; value: number | string | boolean | null }[] {
  const names = options.table.schema.fields.map((field) => field.name);
  for (const column of ["unit_id", "row", "col", options.colorBy]) {
    if (!names.includes(column)) throw new ConfigurationError(messages.unknownColumn(column, names));
  }
  const ids = options.table.getChild("unit_id");
  const rows = options.table.getChild("row");
  const cols = options.table.getChild("col");
  const values = options.table.getChild(options.colorBy);
  const points: { unit: string; row: number; col: number; value: number | string | boolean | null }[] = [];
  for (let i = 0; i < options.table.numRows; i++) {
    const row = rows?.get(i);
    const col = cols?.get(i);
    if (typeof row !== "number" || typeof col !== "number") continue;
    const raw = values?.get(i);
    const value =
      typeof raw === "number" ? (Number.isFinite(raw) ? round(raw) : null) : typeof raw === "bigint" ? Number(raw) : typeof raw === "string" || typeof raw === "boolean" ? raw : null;
    points.push({ unit: String(ids?.get(i)), row, col, value });
  }
  return points;
}

/** Units maps with at most this many units name each unit beside its square. */
export const MAX_LABELLED_UNITS = 80;

/** Phase 2: the map (x = column, y = row, row 0 at the top, as the array is drawn in the vendor software). */
export function unitsMapSpec(options: UnitsMapSpecOptions): VegaLiteSpec {
  const points = unitsMapPoints(options);
  const grid = options.gridSize ?? 65;
  const numeric = points.some((p) => typeof p.value === "number") && points.every((p) => p.value === null || typeof p.value === "number");
  const color: ProtocolJson = numeric
    ? { field: "value", type: "quantitative", title: options.colorBy, scale: { scheme: "viridis" } }
    : { field: "value", type: "nominal", title: options.colorBy };
  const x: ProtocolJson = { field: "col", type: "quantitative", title: "electrode column", scale: { domain: [0, grid - 1], nice: false } };
  const y: ProtocolJson = { field: "row", type: "quantitative", title: "electrode row", scale: { domain: [0, grid - 1], nice: false, reverse: true } };
  const units: ProtocolJson = {
    mark: { type: "square", size: 30, opacity: 0.85 },
    encoding: {
      x,
      y,
      color,
      tooltip: [
        { field: "unit", type: "nominal" },
        { field: "value", type: numeric ? "quantitative" : "nominal", title: options.colorBy },
      ],
    },
  };
  // Each unit named beside its square (its number: unit_003 → 3), while there are few enough to read.
  const labels: ProtocolJson = {
    transform: [{ calculate: "replace(datum.unit, /^unit_0*/, '')", as: "label" }],
    mark: { type: "text", dx: 7, align: "left", baseline: "middle", fontSize: 8 },
    encoding: { x, y, text: { field: "label", type: "nominal" } },
  };
  return vegaLiteSpec(options.title ?? `units by ${options.colorBy}`, {
    width: 360,
    height: 360,
    data: { values: points },
    layer: points.length <= MAX_LABELLED_UNITS ? [units, labels] : [units],
  });
}
