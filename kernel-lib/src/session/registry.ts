/**
 * The sessions of this kernel by id, so a cell can address "the session the panel shows" without knowing which
 * variable holds it (the panel's Checkpoint/Save cells and the unit page cells insert `sessionById("<id>")`).
 *
 * Ids are `<dataset>-<n>`: the dataset id (file-name safe) and the count of sessions of that dataset created in this
 * kernel. A notebook run from the top creates its sessions in the same order every time, so after a kernel restart
 * and Run All an inserted `sessionById("demo-1")` addresses the same logical session again instead of failing on a
 * random id that no longer exists. Sessions are held weakly: the registry never keeps a dropped session in memory.
 */
import { SessionError } from "../errors";
import { messages } from "./messages";
import type { PipelineSession } from "./session";

const MAX_DATASET_CHARS = 48;

const sessions = new Map<string, WeakRef<PipelineSession>>();
const createdPerDataset = new Map<string, number>();

/** `2025.04.10-11.12.57 Rec` → `2025.04.10-11.12.57_Rec`: safe in display ids, file names and code. */
function datasetSlug(datasetId: string): string {
  return datasetId.replace(/[^\w.-]+/g, "_").slice(0, MAX_DATASET_CHARS) || "session";
}

/** @internal The next id for a session of `datasetId` (the session constructor calls this once). */
export function nextSessionId(datasetId: string): string {
  const slug = datasetSlug(datasetId);
  const count = (createdPerDataset.get(slug) ?? 0) + 1;
  createdPerDataset.set(slug, count);
  return `${slug}-${count}`;
}

/** @internal Registers a session under its id (the session constructor calls this; `PipelineSession.load` goes through it). */
export function registerSession(session: PipelineSession): void {
  sessions.set(session.sessionId, new WeakRef(session));
}

/** Ids of the sessions of this kernel still in memory, oldest first. */
export function sessionIds(): string[] {
  const alive: string[] = [];
  for (const [id, ref] of sessions) {
    if (ref.deref() === undefined) sessions.delete(id);
    else alive.push(id);
  }
  return alive;
}

/**
 * The session of this kernel with id `sessionId` (the id the session card and the HD-MEA panel show), created by
 * `createSession`, `new PipelineSession` or `PipelineSession.load`. Throws a `SessionError` naming the ids that
 * exist when there is none, e.g. after a kernel restart before the cell that creates the session ran again.
 */
export function sessionById(sessionId: string): PipelineSession {
  const session = sessions.get(sessionId)?.deref();
  if (session === undefined) throw new SessionError(messages.sessionNotInKernel(sessionId, sessionIds()));
  return session;
}
