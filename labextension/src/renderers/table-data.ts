/**
 * A decoded table as plain columns, and sorting. Plain functions: the view reads them, tests call them directly.
 */

/** Column-wise values (null for a missing value) with names and type descriptions. */
export interface TableColumns {
  names: string[];
  types: string[];
  columns: unknown[][];
  numRows: number;
}

/** The part of an Arrow `Table` this module reads; keeps apache-arrow out of the synchronous import graph. */
export interface ArrowTableLike {
  numRows: number;
  numCols: number;
  schema: { fields: { name: string; type: { toString(): string } }[] };
  getChildAt(index: number): { get(index: number): unknown; isValid(index: number): boolean } | null;
}

export function columnsOfTable(table: ArrowTableLike): TableColumns {
  const fields = table.schema.fields;
  const columns: unknown[][] = [];
  for (let c = 0; c < table.numCols; c++) {
    const vector = table.getChildAt(c);
    const values = new Array<unknown>(table.numRows);
    for (let r = 0; r < table.numRows; r++) values[r] = vector && vector.isValid(r) ? vector.get(r) : null;
    columns.push(values);
  }
  return { names: fields.map((f) => f.name), types: fields.map((f) => String(f.type)), columns, numRows: table.numRows };
}

export type SortDirection = "ascending" | "descending";

export interface SortKey {
  column: number;
  direction: SortDirection;
}

function compareValues(a: unknown, b: unknown): number {
  // Missing values sort last in both directions, so they never hide the interesting end of a column.
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  if ((typeof a === "number" || typeof a === "bigint") && (typeof b === "number" || typeof b === "bigint")) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/** Row order for `key` (stable; the original order when key is null). */
export function sortedRowOrder(table: TableColumns, key: SortKey | null): Uint32Array {
  const order = new Uint32Array(table.numRows);
  for (let i = 0; i < order.length; i++) order[i] = i;
  if (key === null) return order;
  const values = table.columns[key.column];
  const sign = key.direction === "ascending" ? 1 : -1;
  const rows = Array.from(order);
  rows.sort((a, b) => {
    const va = values[a];
    const vb = values[b];
    const missingA = va === null || va === undefined;
    const missingB = vb === null || vb === undefined;
    const cmp = missingA || missingB ? compareValues(va, vb) : sign * compareValues(va, vb);
    return cmp !== 0 ? cmp : a - b;
  });
  order.set(rows);
  return order;
}

/** The next sort after a click on `column`: ascending → descending → unsorted. */
export function nextSortKey(current: SortKey | null, column: number): SortKey | null {
  if (current === null || current.column !== column) return { column, direction: "ascending" };
  return current.direction === "ascending" ? { column, direction: "descending" } : null;
}
