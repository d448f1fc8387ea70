/**
 * A virtualised, sortable table: only the rows in view (plus a margin) exist in the DOM. Columns are as wide as
 * their heading needs (with room for the sort arrow); the row number and an optional key column (the unit id of a
 * units table) stay in view when the table scrolls sideways, and a key cell can be a link (the unit's page). Row elements come from a
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
const STICKY_CLASS = "hdmea-mod-sticky";

/** Pixel sizes the CSS uses too (style/base.css). */
export const ROW_HEIGHT_PX = 24;
export const MAX_VIEWPORT_PX = 360;
const COLUMN_WIDTH_PX = 120;
const MAX_COLUMN_WIDTH_PX = 280;
/** Width of one heading character and of the sort arrow with its gap, in the UI font (13 px). */
const HEADING_CHAR_PX = 7.5;
const SORT_ARROW_PX = 26;
const INDEX_WIDTH_PX = 56;
const OVERSCAN_ROWS = 8;
const SCROLLBAR_ALLOWANCE_PX = 16;

/** Height of the scrolling viewport: the rows, up to {@link MAX_VIEWPORT_PX}. */
export function viewportHeightPx(numRows: number): number {
  return Math.min(MAX_VIEWPORT_PX, numRows * ROW_HEIGHT_PX + SCROLLBAR_ALLOWANCE_PX);
}

/** Width of a column: enough for its heading and sort arrow, at least {@link COLUMN_WIDTH_PX}. */
export function columnWidthPx(name: string): number {
  return Math.min(MAX_COLUMN_WIDTH_PX, Math.max(COLUMN_WIDTH_PX, Math.ceil(name.length * HEADING_CHAR_PX + SORT_ARROW_PX + 12)));
}

/** What the table does beyond showing values. */
export interface TableViewOptions {
  /** A column kept in view when scrolling sideways (placed first, after the row number). */
  keyColumn?: number;
  /** Makes key cells links: called with the cell's value when one is clicked. */
  onOpenKey?: (key: string, cell: HTMLElement) => void;
  /** Tooltip of a key link. */
  keyTitle?: (key: string) => string;
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

  /** Column shown in each data slot: the key column first, then the others in table order. */
  private readonly shown: number[];
  private readonly keySlot: boolean;

  constructor(
    private readonly table: TableColumns,
    signal: AbortSignal,
    private readonly options: TableViewOptions = {},
  ) {
    this.order = sortedRowOrder(table, null);
    this.texts = table.columns.map(() => new Array<string | undefined>(table.numRows));
    const key = options.keyColumn;
    this.keySlot = key !== undefined && key >= 0 && key < table.names.length;
    this.shown = this.keySlot ? [key!, ...table.names.map((_, c) => c).filter((c) => c !== key)] : table.names.map((_, c) => c);
    const widths = this.shown.map((c) => columnWidthPx(table.names[c]));
    const template = `${INDEX_WIDTH_PX}px ${widths.map((w) => `${w}px`).join(" ")}`;
    const width = `${INDEX_WIDTH_PX + widths.reduce((sum, w) => sum + w, 0)}px`;
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
    this.node.style.setProperty("--hdmea-table-key-left", `${INDEX_WIDTH_PX}px`);
    this.rowsHost.style.width = width;
    this.renderHeader();

    this.scroller.addEventListener("scroll", () => this.scheduleRows(), { passive: true, signal });
    // The header scrolls sideways with the rows (it sits outside the vertical scroller so it stays visible); its
    // sticky cells move back by as much, as the rows' sticky cells stay put.
    this.scroller.addEventListener("scroll", () => this.alignHeader(), { passive: true, signal });
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

  private alignHeader(): void {
    const left = this.scroller.scrollLeft;
    this.header.style.transform = `translateX(${-left}px)`;
    for (const cell of this.header.querySelectorAll<HTMLElement>(`.${STICKY_CLASS}`)) cell.style.transform = `translateX(${left}px)`;
  }

  private renderHeader(): void {
    clear(this.header);
    this.header.appendChild(h("div", { className: `${CELL_CLASS} hdmea-Table-index${this.keySlot ? ` ${STICKY_CLASS}` : ""}`, text: "#" }));
    this.shown.forEach((column, slot) => {
      const name = this.table.names[column];
      const sorted = this.sortKey?.column === column ? this.sortKey.direction : null;
      const cell = h(
        "div",
        {
          className: `${CELL_CLASS} hdmea-Table-heading${this.isKeySlot(slot) ? ` ${STICKY_CLASS} hdmea-Table-key` : ""}`,
          title: `${name}: ${this.table.types[column]} (click to sort)`,
          attrs: { role: "columnheader", "aria-sort": sorted ?? "none", "data-column": String(column) },
        },
        [
          h("span", { className: "hdmea-Table-headingName", text: name }),
          h("span", { className: "hdmea-Table-sortArrow", text: sorted === "ascending" ? " ▲" : sorted === "descending" ? " ▼" : "" }),
        ],
      );
      cell.addEventListener("click", () => this.toggleSort(column));
      this.header.appendChild(cell);
    });
    this.alignHeader();
  }

  private isKeySlot(slot: number): boolean {
    return this.keySlot && slot === 0;
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
    this.shown.forEach((column, slot) => (cells[slot + 1].textContent = this.cellText(column, dataRow)));
    if (this.keySlot && this.options.onOpenKey) {
      const key = this.table.columns[this.shown[0]][dataRow];
      const cell = cells[1] as HTMLElement;
      cell.dataset.key = key === null || key === undefined ? "" : String(key);
      cell.title = cell.dataset.key && this.options.keyTitle ? this.options.keyTitle(cell.dataset.key) : "";
    }
  }

  private newRow(): HTMLElement {
    const row = h("div", { className: ROW_CLASS, attrs: { role: "row" } });
    // Sticky cells only in tables with a key column: plain tables scroll without them.
    row.appendChild(h("div", { className: `${CELL_CLASS} hdmea-Table-index${this.keySlot ? ` ${STICKY_CLASS}` : ""}` }));
    this.shown.forEach((_, slot) => {
      const key = this.isKeySlot(slot);
      const cell = h("div", { className: key ? `${CELL_CLASS} ${STICKY_CLASS} hdmea-Table-key` : CELL_CLASS, attrs: { role: "cell" } });
      const open = this.options.onOpenKey;
      if (key && open) {
        cell.classList.add("hdmea-mod-link");
        cell.addEventListener("click", () => {
          if (cell.dataset.key) open(cell.dataset.key, cell);
        });
      }
      row.appendChild(cell);
    });
    this.rowsHost.appendChild(row);
    return row;
  }
}
