/**
 * The code of the panel's actions (DESIGN §7): "Checkpoint" and "Save" never run hidden code; they insert this code
 * as a visible cell (insert-cell.ts), so the notebook stays the record of what happened.
 */
import type { SessionPayload } from "../protocol";

export type SessionAction = "checkpoint" | "save";

/** The variable name used when the payload does not say which variable holds the session. */
export const DEFAULT_SESSION_VARIABLE = "session";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `2026-11-21T06:05:09.123Z` → `20261121-060509`: sortable and safe in file names. */
function timestamp(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, "").replace(/[-:]/g, "").replace("T", "-");
}

function directoryOf(filePath: string): string {
  const cut = Math.max(filePath.lastIndexOf("/"), filePath.lastIndexOf("\\"));
  return cut > 0 ? filePath.slice(0, cut) : ".";
}

function safeFileStem(text: string): string {
  return text.replace(/[^\w.-]+/g, "_").replace(/^\.+/, "") || "session";
}

/** The code of a panel action for one session, e.g. `await session.save();`. */
export function sessionActionCode(options: { action: SessionAction; payload: SessionPayload; now?: Date }): string {
  const { action, payload } = options;
  const hinted = payload.variableName !== undefined && IDENTIFIER.test(payload.variableName);
  const variable = hinted ? payload.variableName! : DEFAULT_SESSION_VARIABLE;
  const lines = [`// Inserted by the HD-MEA Session panel (${action}, dataset "${payload.datasetId}").`];
  if (!hinted) lines.push(`// Rename \`${variable}\` if your session has another variable name.`);
  if (action === "save") {
    lines.push(`await ${variable}.save();`);
  } else {
    const stamp = timestamp(options.now ?? new Date());
    const folder = payload.hdf5Path ? directoryOf(payload.hdf5Path) : "output";
    const file = `${folder}/${safeFileStem(payload.datasetId)}.checkpoint-${stamp}.h5`;
    lines.push(`await ${variable}.checkpoint(${JSON.stringify(file)}, { checkpointName: ${JSON.stringify(`panel-${stamp}`)} });`);
  }
  return lines.join("\n");
}
