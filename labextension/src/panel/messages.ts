/**
 * Narrowing kernel messages to session payloads (DESIGN §7): one `switch` on the message type, a type guard on the
 * data, everything else ignored.
 */
import type { KernelMessage } from "@jupyterlab/services";
import type * as nbformat from "@jupyterlab/nbformat";
import { readSessionPayload, SESSION_MIME, type SessionPayload } from "../protocol";

/** The session payload carried by an iopub `display_data` / `update_display_data`, or null for any other message. */
export function sessionPayloadFromMessage(msg: KernelMessage.IMessage): SessionPayload | null {
  switch (msg.header.msg_type) {
    case "display_data":
    case "update_display_data": {
      const content = msg.content as KernelMessage.IDisplayDataMsg["content"];
      return content && typeof content === "object" && content.data ? readSessionPayload(content.data[SESSION_MIME]) : null;
    }
    default:
      return null;
  }
}

/** Every session payload stored in a notebook's outputs, in document order. */
export function sessionPayloadsFromOutputs(outputs: Iterable<nbformat.IOutput>): SessionPayload[] {
  const found: SessionPayload[] = [];
  for (const output of outputs) {
    if (output.output_type !== "display_data" && output.output_type !== "execute_result") continue;
    const data = (output as nbformat.IDisplayData).data;
    if (!data || typeof data !== "object") continue;
    const payload = readSessionPayload(data[SESSION_MIME]);
    if (payload) found.push(payload);
  }
  return found;
}

/** Every session payload stored in a notebook document (nbformat JSON), in document order. */
export function sessionPayloadsFromNotebook(notebook: nbformat.INotebookContent): SessionPayload[] {
  const outputs: nbformat.IOutput[] = [];
  for (const cell of notebook.cells) {
    if (cell.cell_type === "code" && Array.isArray(cell.outputs)) outputs.push(...(cell.outputs as nbformat.IOutput[]));
  }
  return sessionPayloadsFromOutputs(outputs);
}
