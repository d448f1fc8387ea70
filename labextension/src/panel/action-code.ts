/**
 * The code of the panel's actions (DESIGN §7): "Checkpoint" and "Save" never run hidden code; they insert this code
 * as a visible cell (insert-cell.ts), so the notebook stays the record of what happened.
 */
import type { SessionPayload } from "../protocol";

export type SessionAction = "checkpoint" | "save";

/**
 * The variable the inserted code uses. The kernel cannot know which variable holds a session, so the cell says to
 * rename it; it is visible and editable, like any cell.
 */
export const DEFAULT_SESSION_VARIABLE = "session";

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

/** `text` quoted for a one-line comment: JSON escapes newlines; the other JavaScript line ends become spaces. */
function commentText(text: string): string {
  return JSON.stringify(text).replace(/[\u2028\u2029]/g, " ");
}

/** The code of a panel action for one session, e.g. `await session.save();`. */
export function sessionActionCode(options: { action: SessionAction; payload: SessionPayload; now?: Date }): string {
  const { action, payload } = options;
  const variable = DEFAULT_SESSION_VARIABLE;
  const lines = [
    `// Inserted by the HD-MEA Session panel (${action}, dataset ${commentText(payload.datasetId)}).`,
    `// Rename \`${variable}\` if your session has another variable name.`,
  ];
  if (action === "save") {
    // Saved before: to the same file again (a bare save() would write the default path, a second file).
    lines.push(payload.hdf5Path ? `await ${variable}.save(${JSON.stringify(payload.hdf5Path)});` : `await ${variable}.save();`);
  } else {
    const stamp = timestamp(options.now ?? new Date());
    const folder = payload.hdf5Path ? directoryOf(payload.hdf5Path) : "output";
    const file = `${folder}/${safeFileStem(payload.datasetId)}.checkpoint-${stamp}.h5`;
    lines.push(`await ${variable}.checkpoint(${JSON.stringify(file)}, { checkpointName: ${JSON.stringify(`panel-${stamp}`)} });`);
  }
  return lines.join("\n");
}
