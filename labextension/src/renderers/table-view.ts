/**
 * A virtualised, sortable table: only the rows in view (plus a margin) exist in the DOM. Row elements come from a
 * fixed pool in which table position p always uses slot p % poolSize, so while scrolling only the rows that enter
 * the view are rewritten; cell texts are formatted once per value and cached. A 10 000-row table scrolls as
 * cheaply as a 20-row one.
 */
import { clear, h } from "../dom";
import { formatCell } from "../format";
import { nextSortKey, sortedRowOrder, type SortKey, type TableColumns } from "./table-data";

export const TABLE_CLASS = "hdmea-Table";
const HEADER_CLASS = "hdmea-Table-header";
const SCROLLER_CLASS = "hdmea-Table-scroller";
const ROW_CLASS = "hdmea-Table-row";
const CELL_CLASS = "hdmea-Table-cell";

/** Pixel sizes the CSS uses too (style/base.css). */
export const ROW_HEIGHT_PX = 24;
export const MAX_VIEWPORT_PX = 360;
const COLUMN_WIDTH_PX = 120;
const INDEX_WIDTH_PX = 56;
const OVERSCAN_ROWS = 8;
const SCROLLBAR_ALLOWANCE_PX = 16;

/** Height of the scrolling viewport: the rows, up to {@link MAX_VIEWPORT_PX}. */
export function viewportHeightPx(numRows: number): number {
  return Math.min(MAX_VIEWPORT_PX, numRows * ROW_HEIGHT_PX + SCROLLBAR_ALLOWANCE_PX);
}

export class TableView {
  readonly node: HTMLElement;
  private readonly header: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly rowsHost: HTMLElement;
  private order: Uint32Array;
  private sortKey: SortKey | null = null;
  private firstRow = -1;
  private pool: HTMLElement[] = [];
  /** Table position each pool slot shows (-1: none). */
  private slotPosition: number[] = [];
  /** Formatted cell texts per column, filled as rows are first shown. */
  private readonly texts: (string | undefined)[][];
  private frame = 0;

  constructor(
    private readonly table: TableColumns,
    signal: AbortSignal,
  ) {
    this.order = sortedRowOrder(table, null);
    this.texts = table.columns.map(() => new Array<string | undefined>(table.numRows));
    const template = `${INDEX_WIDTH_PX}px repeat(${table.names.length}, ${COLUMN_WIDTH_PX}px)`;
    const width = `${INDEX_WIDTH_PX + table.names.length * COLUMN_WIDTH_PX}px`;
    this.header = h("div", { className: HEADER_CLASS, attrs: { role: "row" } });
    this.header.style.gridTemplateColumns = template;
    this.header.style.width = width;
    this.rowsHost = h("div", { className: "hdmea-Table-rows" });
    const sizer = h("div", { className: "hdmea-Table-sizer" }, [this.rowsHost]);
    sizer.style.height = `${table.numRows * ROW_HEIGHT_PX}px`;
    sizer.style.width = width;
    this.scroller = h("div", { className: SCROLLER_CLASS, attrs: { tabindex: "0" } }, [sizer]);
    // contain: strict needs a fixed height: a short table gets just its rows (and room for a sideways scrollbar).
    this.scroller.style.height = `${viewportHeightPx(table.numRows)}px`;
    this.node = h("div", { className: TABLE_CLASS, attrs: { role: "table", "aria-rowcount": String(table.numRows) } }, [
      h("div", { className: "hdmea-Table-frame" }, [this.header, this.scroller]),
    ]);
    this.node.style.setProperty("--hdmea-table-columns", template);
    this.rowsHost.style.width = width;
    this.renderHeader();

    this.scroller.addEventListener("scroll", () => this.scheduleRows(), { passive: true, signal });
    // The header scrolls sideways with the rows (it sits outside the vertical scroller so it stays visible).
    this.scroller.addEventListener("scroll", () => (this.header.style.transform = `translateX(${-this.scroller.scrollLeft}px)`), {
      passive: true,
      signal,
    });
    signal.addEventListener("abort", () => cancelAnimationFrame(this.frame));
    this.renderRows(true);
  }

  /** The sort the table shows. */
  get sort(): SortKey | null {
    return this.sortKey;
  }

  /** Sorts by a column as a click on its header does (ascending, descending, original order). */
  toggleSort(column: number): void {
    this.sortKey = nextSortKey(this.sortKey, column);
    this.order = sortedRowOrder(this.table, this.sortKey);
    this.renderHeader();
    this.renderRows(true);
  }

  /** Rows currently in the DOM (for tests and for the e2e check of virtualisation). */
  get renderedRowCount(): number {
    return this.pool.filter((row) => row.style.display !== "none").length;
  }

  private renderHeader(): void {
    clear(this.header);
    this.header.appendChild(h("div", { className: `${CELL_CLASS} hdmea-Table-index`, text: "#" }));
    this.table.names.forEach((name, column) => {
      const sorted = this.sortKey?.column === column ? this.sortKey.direction : null;
      const cell = h("div", {
        className: `${CELL_CLASS} hdmea-Table-heading`,
        text: `${name}${sorted === "ascending" ? " ▲" : sorted === "descending" ? " ▼" : ""}`,
        title: `${name}: ${this.table.types[column]} (click to sort)`,
        attrs: { role: "columnheader", "aria-sort": sorted ?? "none", "data-column": String(column) },
      });
      cell.addEventListener("click", () => this.toggleSort(column));
      this.header.appendChild(cell);
    });
  }

  private scheduleRows(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderRows(false);
    });
  }

  private visibleRowCount(): number {
    // jsdom (tests) has no layout: clientHeight is 0 there, so fall back to the CSS maximum.
    const viewport = this.scroller.clientHeight || MAX_VIEWPORT_PX;
    return Math.ceil(viewport / ROW_HEIGHT_PX) + 2 * OVERSCAN_ROWS;
  }

  private renderRows(force: boolean): void {
    const count = Math.min(this.visibleRowCount(), this.table.numRows);
    const first = Math.max(0, Math.min(Math.floor(this.scroller.scrollTop / ROW_HEIGHT_PX) - OVERSCAN_ROWS, this.table.numRows - count));
    if (!force && first === this.firstRow && this.pool.length >= count) return;
    if (this.pool.length < count) {
      // The pool grows only when the viewport does; slots are reassigned from scratch then.
      while (this.pool.length < count) this.pool.push(this.newRow());
      force = true;
    }
    this.firstRow = first;
    if (force) this.slotPosition = this.pool.map(() => -1);
    const size = this.pool.length;
    for (let position = first; position < first + count; position++) {
      const slot = position % size;
      if (this.slotPosition[slot] === position) continue; // still showing the right row
      this.slotPosition[slot] = position;
      this.fillRow(this.pool[slot], position);
    }
    // Slots beyond the row count (tables shorter than the pool) stay hidden.
    for (let slot = 0; slot < size; slot++) {
      const shown = this.slotPosition[slot] >= first && this.slotPosition[slot] < first + count;
      const display = shown ? "" : "none";
      if (this.pool[slot].style.display !== display) this.pool[slot].style.display = display;
    }
  }

  private cellText(column: number, dataRow: number): string {
    const cached = this.texts[column][dataRow];
    if (cached !== undefined) return cached;
    const text = formatCell(this.table.columns[column][dataRow]);
    this.texts[column][dataRow] = text;
    return text;
  }

  private fillRow(row: HTMLElement, position: number): void {
    const dataRow = this.order[position];
    row.style.transform = `translateY(${position * ROW_HEIGHT_PX}px)`;
    row.setAttribute("aria-rowindex", String(position + 1));
    const cells = row.children;
    cells[0].textContent = String(dataRow);
    for (let c = 0; c < this.table.columns.length; c++) cells[c + 1].textContent = this.cellText(c, dataRow);
  }

  private newRow(): HTMLElement {
    const row = h("div", { className: ROW_CLASS, attrs: { role: "row" } });
    row.appendChild(h("div", { className: `${CELL_CLASS} hdmea-Table-index` }));
    for (let c = 0; c < this.table.columns.length; c++) row.appendChild(h("div", { className: CELL_CLASS, attrs: { role: "cell" } }));
    this.rowsHost.appendChild(row);
    return row;
  }
}
