/** Narrowing kernel messages and saved outputs to batch payloads: one `switch`, one type guard, the rest ignored. */
import type { KernelMessage } from "@jupyterlab/services";
import type * as nbformat from "@jupyterlab/nbformat";
import { BATCH_MIME, type BatchItem, type BatchPayload } from "hdmea/dist/display/protocol";
import { parseMimeData } from "../protocol";

const ITEM_STATES: ReadonlySet<string> = new Set(["queued", "running", "done", "skipped", "failed", "missing", "stale"]);

function isItem(value: unknown): value is BatchItem {
  if (typeof value !== "object" || value === null) return false;
  const item = value as Record<string, unknown>;
  return typeof item.index === "number" && typeof item.id === "string" && typeof item.state === "string" && ITEM_STATES.has(item.state) && typeof item.detail === "string";
}

/** The batch payload in mime data (object or JSON text), or null when it is not one. */
export function readBatchPayload(data: unknown): BatchPayload | null {
  const value = parseMimeData(data);
  if (typeof value !== "object" || value === null) return null;
  const payload = value as Record<string, unknown>;
  if (payload.schema !== 1 || typeof payload.batchId !== "string" || typeof payload.seq !== "number" || typeof payload.name !== "string") return null;
  if (!Array.isArray(payload.items) || !payload.items.every(isItem)) return null;
  if (typeof payload.counts !== "object" || payload.counts === null) return null;
  return value as BatchPayload;
}

/** The batch payload of an iopub `display_data` / `update_display_data`, or null. */
export function batchPayloadFromMessage(msg: KernelMessage.IMessage): BatchPayload | null {
  switch (msg.header.msg_type) {
    case "display_data":
    case "update_display_data": {
      const content = msg.content as KernelMessage.IDisplayDataMsg["content"];
      return content && typeof content === "object" && content.data ? readBatchPayload(content.data[BATCH_MIME]) : null;
    }
    default:
      return null;
  }
}

/** Every batch payload in a notebook's saved outputs, in document order. */
export function batchPayloadsFromNotebook(notebook: nbformat.INotebookContent): BatchPayload[] {
  const found: BatchPayload[] = [];
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "code" || !Array.isArray(cell.outputs)) continue;
    for (const output of cell.outputs as nbformat.IOutput[]) {
      if (output.output_type !== "display_data" && output.output_type !== "execute_result") continue;
      const data = (output as nbformat.IDisplayData).data;
      const payload = data && typeof data === "object" ? readBatchPayload(data[BATCH_MIME]) : null;
      if (payload) found.push(payload);
    }
  }
  return found;
}
