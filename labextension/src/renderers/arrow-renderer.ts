/** The Arrow table viewer: decodes the IPC stream with apache-arrow (loaded once, lazily) into a virtualised table. */
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { h } from "../dom";
import { readArrowPayload, type ArrowPayload } from "../protocol";
import { decodeBase64, HdmeaRenderer } from "./renderer-base";
import { columnsOfTable, type ArrowTableLike, type TableColumns } from "./table-data";
import { TableView } from "./table-view";
import { requestUnitPage } from "../open-unit";

export const ARROW_CLASS = "hdmea-ArrowTable";

/** Decodes a payload's IPC stream into plain columns. */
export async function decodeArrowPayload(payload: ArrowPayload): Promise<TableColumns> {
  const arrow = await Private.loadArrow();
  const table: ArrowTableLike = arrow.tableFromIPC(decodeBase64(payload.base64));
  return columnsOfTable(table);
}

export class ArrowTableRenderer extends HdmeaRenderer<ArrowPayload> {
  private view: TableView | null = null;

  constructor(options: IRenderMime.IRendererOptions) {
    super(options, ARROW_CLASS);
  }

  /** The table on show (null before the first render finished). */
  get tableView(): TableView | null {
    return this.view;
  }

  protected read(data: unknown): ArrowPayload | null {
    return readArrowPayload(data);
  }

  protected async renderPayload(payload: ArrowPayload, signal: AbortSignal): Promise<void> {
    const columns = await decodeArrowPayload(payload);
    if (signal.aborted) return;
    const total = payload.totalRows ?? columns.numRows;
    const cut = total > columns.numRows ? ` (first ${columns.numRows} of ${total} rows: the rest did not fit in the output)` : "";
    // A session's units table: the unit id stays in view, and a click on it opens the unit's page.
    const keyColumn = payload.unitIdColumn === undefined ? -1 : columns.names.indexOf(payload.unitIdColumn);
    const sessionId = payload.sessionId;
    this.view = new TableView(
      columns,
      signal,
      keyColumn < 0 || sessionId === undefined
        ? {}
        : {
            keyColumn,
            onOpenKey: (unitId, cell) => requestUnitPage(cell, { sessionId, unitId }),
            keyTitle: (unitId) => `Open the page of ${unitId} (inserts and runs a cell below)`,
          },
    );
    this.node.append(
      h("div", { className: "hdmea-ArrowTable-info hdmea-muted", text: `${columns.numRows} rows × ${columns.names.length} columns${cut}` }),
      this.view.node,
    );
  }
}

namespace Private {
  let arrow: Promise<typeof import("apache-arrow")> | null = null;

  /** apache-arrow is large: load it the first time a table is shown, and only once. */
  export function loadArrow(): Promise<typeof import("apache-arrow")> {
    arrow ??= import("apache-arrow");
    return arrow;
  }
}
