/**
 * The code of the panel's actions (DESIGN §7): "Checkpoint" and "Save" never run hidden code; they insert this code
 * as a visible cell (insert-cell.ts), so the notebook stays the record of what happened.
 *
 * The cell addresses the session the panel shows by its id (`sessionById("demo-1")`), not by a variable name the
 * panel cannot know, and names files relative to the notebook (the kernel's working folder), so the notebook still
 * runs when it is moved or shared. What a later Run All does with the cell:
 * - session ids count the sessions of a dataset in creation order, so a notebook run from the top gives the session
 *   the same id again and the cell addresses the same logical session;
 * - Save writes the state at that point of the notebook to the same file again, as any save cell does;
 * - a checkpoint's file is named after the session and the state it holds (`<session id>.after-<n>-<last step>.h5`),
 *   not after the wall clock: re-running the cell at the same point writes the same state to the same file
 *   (replacing it is right), while another session of the dataset (e.g. one resumed from a file) or a checkpoint
 *   after other steps gets another name, so no re-run replaces a different state.
 */
import type { SessionPayload } from "../protocol";

export type SessionAction = "checkpoint" | "save";

/** The folder checkpoints go to when the session has neither a file nor an output folder (older payloads). */
const FALLBACK_FOLDER = "artifacts";

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

/** `text` as a one-line string literal (payloads from saved outputs are not trusted). */
function literal(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** The file the session was saved to, as code should name it: relative to the notebook when the kernel said so. */
function savedFile(payload: SessionPayload): string | null {
  return payload.hdf5RelativePath ?? payload.hdf5Path;
}

/** `<folder>/<session id>.after-<n>-<last step>.h5`: beside the saved file, else in the session's output folder. */
export function checkpointFile(payload: SessionPayload): string {
  const saved = savedFile(payload);
  const folder = saved !== null ? directoryOf(saved) : (payload.outputDir ?? FALLBACK_FOLDER);
  const steps = payload.completedSteps;
  const last = steps.length > 0 ? safeFileStem(steps[steps.length - 1]) : "start";
  return `${folder}/${safeFileStem(payload.sessionId)}.after-${String(steps.length).padStart(2, "0")}-${last}.h5`;
}

/** The code of a panel action for one session, e.g. `await sessionById("demo-1").save("artifacts/demo.h5");`. */
export function sessionActionCode(options: { action: SessionAction; payload: SessionPayload }): string {
  const { action, payload } = options;
  const session = `sessionById(${literal(payload.sessionId)})`;
  const lines = [
    `// Inserted by the HD-MEA Session panel (${action} of session ${commentText(payload.sessionId)}, dataset ${commentText(payload.datasetId)}).`,
    'import { sessionById } from "hdmea";',
  ];
  if (action === "save") {
    // Saved before: to the same file again (a bare save() would write the default path, a second file).
    const saved = savedFile(payload);
    lines.push(saved !== null ? `await ${session}.save(${literal(saved)});` : `await ${session}.save();`);
  } else {
    const file = checkpointFile(payload);
    const last = payload.completedSteps[payload.completedSteps.length - 1];
    const name = last === undefined ? "before any step" : `after ${last}`;
    lines.push(`await ${session}.checkpoint(${literal(file)}, { checkpointName: ${literal(name)} });`);
  }
  return lines.join("\n");
}

/**
 * The cell a click on a unit inserts: `await showUnitPage({ session: sessionById("demo-1"), unitId: "unit_003" });`.
 * Both ids come from outputs, which are not trusted: they only ever appear inside string literals and a comment.
 */
export function unitPageCode(options: { sessionId: string; unitId: string }): string {
  return [
    `// Inserted by the units table: the page of unit ${commentText(options.unitId)} of session ${commentText(options.sessionId)}.`,
    'import { sessionById, showUnitPage } from "hdmea";',
    `await showUnitPage({ session: sessionById(${literal(options.sessionId)}), unitId: ${literal(options.unitId)} });`,
  ].join("\n");
}
