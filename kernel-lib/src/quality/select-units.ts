/**
 * `selectUnits`: the ids of the units whose row of the units table passes a filter — a declarative object of
 * column conditions, or a function of the row. The result feeds `labelUnits` or any per-unit loop.
 */
import { ConfigurationError } from "../errors";
import type { PipelineSession } from "../session/session";
import { unitsTable } from "../arrow/units-table";
import { CURATION_LABEL_KEY, unitLabel } from "./curation";
import { messages } from "./messages";

/** A row of the units table as plain values (`unit_id`, `spike_count`, `isi_violations_ratio`, …). */
export type UnitRow = Readonly<Record<string, number | string | boolean | null>>;

/** A range condition: the value lies in [min, max] (either bound may be left out). Nulls and NaN never pass. */
export interface UnitRange {
  readonly min?: number;
  readonly max?: number;
}

/** A condition on one column: an exact value to match, or a range. */
export type UnitCondition = number | string | boolean | null | UnitRange;

/** Column name → condition; a unit passes when every condition holds. */
export type UnitFilter = Readonly<Record<string, UnitCondition>>;

/** Options of {@link selectUnits}. */
export interface SelectUnitsOptions {
  session: PipelineSession;
  /** Conditions on columns of `session.unitsTable()`, or a function of the row. Omitted: every unit. */
  where?: UnitFilter | ((row: UnitRow) => boolean);
  /** Also consider units labelled "reject". Default false. */
  includeRejected?: boolean;
}

/**
 * The ids of the units (in session order) whose units-table row passes `where`. Every row also has
 * `curation_label` ("keep", "reject" or null), even before any unit is labelled. An unknown column is a
 * `ConfigurationError` listing the known ones.
 *
 * @example selectUnits({ session, where: { isi_violations_ratio: { max: 0.1 }, presence_ratio: { min: 0.9 } } })
 * @example selectUnits({ session, where: (row) => Number(row.spike_count) > 500 })
 */
export function selectUnits(options: SelectUnitsOptions): string[] {
  const { session, where } = options;
  const rows = unitRows(session);
  const known = rows.columns;
  let test: (row: UnitRow) => boolean;
  if (where === undefined) test = () => true;
  else if (typeof where === "function") test = where;
  else {
    const conditions = Object.entries(where);
    for (const [column, condition] of conditions) {
      if (!known.includes(column)) throw new ConfigurationError(messages.unknownColumn(column, known));
      if (!isCondition(condition)) throw new ConfigurationError(messages.badCondition(column, condition));
    }
    test = (row) => conditions.every(([column, condition]) => holds(row[column] ?? null, condition));
  }
  return rows.rows.filter((row) => (options.includeRejected || row[CURATION_LABEL_KEY] !== "reject") && test(row)).map((row) => String(row.unit_id));
}

/** Every unit's row of the units table as plain values, with `curation_label` always present. */
export function unitRows(session: PipelineSession): { columns: string[]; rows: UnitRow[] } {
  const table = unitsTable(session);
  const columns = table.schema.fields.map((field) => field.name);
  if (!columns.includes(CURATION_LABEL_KEY)) columns.push(CURATION_LABEL_KEY);
  const vectors = table.schema.fields.map((field) => table.getChild(field.name));
  const rows: UnitRow[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, number | string | boolean | null> = {};
    table.schema.fields.forEach((field, c) => (row[field.name] = plain(vectors[c]?.get(i))));
    row[CURATION_LABEL_KEY] = unitLabel(session, String(row.unit_id));
    rows.push(row);
  }
  return { columns, rows };
}

function plain(value: unknown): number | string | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return Number(value);
  return String(value);
}

function isCondition(condition: unknown): condition is UnitCondition {
  if (condition === null || ["number", "string", "boolean"].includes(typeof condition)) return true;
  if (typeof condition !== "object" || Array.isArray(condition)) return false;
  const keys = Object.keys(condition as object);
  const range = condition as { min?: unknown; max?: unknown };
  return (
    keys.length > 0 &&
    keys.every((key) => key === "min" || key === "max") &&
    (range.min === undefined || typeof range.min === "number") &&
    (range.max === undefined || typeof range.max === "number")
  );
}

function holds(value: number | string | boolean | null, condition: UnitCondition): boolean {
  if (condition === null || typeof condition !== "object") return value === condition;
  if (typeof value !== "number" || Number.isNaN(value)) return false;
  return (condition.min === undefined || value >= condition.min) && (condition.max === undefined || value <= condition.max);
}
