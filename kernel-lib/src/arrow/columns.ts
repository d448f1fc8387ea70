/**
 * Building Arrow columns from JavaScript values with nulls for missing entries: the one place that chooses an
 * Arrow type for a list of session values.
 */
import { Bool, Float64, Int32, Utf8, vectorFromArray, type Vector } from "apache-arrow";

/** A scalar as a table cell. */
export type Cell = number | string | boolean | null;

/** A column of cells as an Arrow vector: numbers → Float64, booleans → Bool, strings → Utf8, mixed → Utf8. */
export function cellsToVector(cells: readonly Cell[]): Vector {
  let kind: "number" | "boolean" | "string" | "none" = "none";
  for (const cell of cells) {
    if (cell === null) continue;
    const cellKind = typeof cell as "number" | "boolean" | "string";
    if (kind === "none") kind = cellKind;
    else if (kind !== cellKind) {
      kind = "string";
      break;
    }
  }
  if (kind === "number" || kind === "none") return vectorFromArray(cells as (number | null)[], new Float64());
  if (kind === "boolean") return vectorFromArray(cells as (boolean | null)[], new Bool());
  return vectorFromArray(cells.map((cell) => (cell === null ? null : String(cell))), new Utf8());
}

/** Whole numbers (or nulls) as a nullable Int32 column. */
export function int32Vector(values: readonly (number | null)[]): Vector {
  return vectorFromArray(values as (number | null)[], new Int32());
}

/** Strings (or nulls) as a Utf8 column. */
export function utf8Vector(values: readonly (string | null)[]): Vector {
  return vectorFromArray(values as (string | null)[], new Utf8());
}

/** Numbers (or nulls) as a Float64 column. */
export function float64Vector(values: readonly (number | null)[]): Vector {
  return vectorFromArray(values as (number | null)[], new Float64());
}
