/**
 * A feature across recordings: one box (with the units as points) per recording, from the batch's stage-2 table.
 *
 *   table + column → points (recording, value) → vega-lite spec
 */
import { ConfigurationError } from "../../errors";
import { messages } from "../messages";
import type { VegaLiteSpec } from "../protocol";
import type { ColumnTable } from "./units-map";
import { vegaLiteSpec } from "./spec-parts";

/** Options of {@link featureAcrossSpec}. */
export interface FeatureAcrossSpecOptions {
  /** The stage-2 table (or any table with the group column and a numeric column). */
  table: ColumnTable;
  /** The numeric column to show, e.g. "mean_rate_hz". */
  column: string;
  /** The column that groups rows. Default "recording_id". */
  groupBy?: string;
  title?: string;
}

/** Phase 1: (group, value) pairs of the rows with a finite value. */
export function featureAcrossPoints(options: FeatureAcrossSpecOptions): { group: string; value: number }[] {
  const groupBy = options.groupBy ?? "recording_id";
  const names = options.table.schema.fields.map((field) => field.name);
  for (const column of [groupBy, options.column]) {
    if (!names.includes(column)) throw new ConfigurationError(messages.unknownColumn(column, names));
  }
  const groups = options.table.getChild(groupBy);
  const values = options.table.getChild(options.column);
  const points: { group: string; value: number }[] = [];
  for (let i = 0; i < options.table.numRows; i++) {
    const raw = values?.get(i);
    const value = typeof raw === "bigint" ? Number(raw) : raw;
    if (typeof value === "number" && Number.isFinite(value)) points.push({ group: String(groups?.get(i)), value });
  }
  return points;
}

/** Phase 2: a box plot per group with the points on top. */
export function featureAcrossSpec(options: FeatureAcrossSpecOptions): VegaLiteSpec {
  const points = featureAcrossPoints(options);
  const groupTitle = options.groupBy ?? "recording_id";
  return vegaLiteSpec(options.title ?? `${options.column} across recordings`, {
    width: 420,
    height: 260,
    data: { values: points },
    layer: [
      { mark: { type: "boxplot", extent: "min-max", opacity: 0.5 }, encoding: { x: { field: "group", type: "nominal", title: groupTitle }, y: { field: "value", type: "quantitative", title: options.column } } },
      { mark: { type: "point", filled: true, size: 20, opacity: 0.8 }, encoding: { x: { field: "group", type: "nominal" }, y: { field: "value", type: "quantitative" } } },
    ],
  });
}
