/**
 * The panel's state for one notebook: the latest payload of every session its kernel has shown. The store owns the
 * state and announces changes through one signal; views read it and never write it (STYLE §2.1).
 */
import type { KernelMessage } from "@jupyterlab/services";
import type * as nbformat from "@jupyterlab/nbformat";
import { Signal, type ISignal } from "@lumino/signaling";
import type { SessionPayload } from "../protocol";
import { sessionPayloadFromMessage, sessionPayloadsFromNotebook } from "./messages";

/** Why the store changed: a payload was taken, the selection moved, or the store was cleared. */
export type SessionStoreChange =
  | { kind: "payload"; sessionId: string }
  | { kind: "selection"; sessionId: string | null }
  | { kind: "reset"; reason: string }
  | { kind: "pruned"; sessionIds: string[] };

export class SessionStore {
  private readonly _sessions = new Map<string, SessionPayload>();
  private _selectedId: string | null = null;
  private _staleCount = 0;
  /** Sessions whose newest payload came from the saved outputs, not from the running kernel. */
  private readonly _seeded = new Set<string>();
  private readonly _stateChanged = new Signal<this, SessionStoreChange>(this);
  private _isDisposed = false;

  /** Fires after every real change (a newer payload, another selection, a reset). */
  get stateChanged(): ISignal<this, SessionStoreChange> {
    return this._stateChanged;
  }

  /** The latest payload of every session, in the order the sessions first appeared. */
  get sessions(): readonly SessionPayload[] {
    return [...this._sessions.values()];
  }

  /** The session the panel shows: the chosen one, else the one updated last. */
  get selected(): SessionPayload | null {
    if (this._selectedId !== null) return this._sessions.get(this._selectedId) ?? null;
    return null;
  }

  get selectedId(): string | null {
    return this._selectedId;
  }

  /** Payloads dropped because their `seq` was not newer than the one already held. */
  get staleCount(): number {
    return this._staleCount;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Takes a payload unless it is stale (its `seq` is not larger than the held one's). Returns whether it was taken.
   * A new session becomes the selected one, so the panel follows the session the user is working on.
   */
  applyPayload(payload: SessionPayload, origin: "kernel" | "saved-output" = "kernel"): boolean {
    const held = this._sessions.get(payload.sessionId);
    if (held !== undefined && payload.seq <= held.seq) {
      this._staleCount += 1;
      return false;
    }
    this._sessions.set(payload.sessionId, payload);
    if (origin === "saved-output") this._seeded.add(payload.sessionId);
    else this._seeded.delete(payload.sessionId);
    if (held === undefined) this._selectedId = payload.sessionId;
    this._stateChanged.emit({ kind: "payload", sessionId: payload.sessionId });
    return true;
  }

  /** Feeds one kernel message (any channel, any type); only session displays and their updates are used. */
  handleMessage(msg: KernelMessage.IMessage): boolean {
    const payload = sessionPayloadFromMessage(msg);
    return payload === null ? false : this.applyPayload(payload);
  }

  /** Seeds the store from the outputs saved in a notebook document; returns how many payloads were taken. */
  seedFromNotebook(notebook: nbformat.INotebookContent): number {
    let taken = 0;
    for (const payload of sessionPayloadsFromNotebook(notebook)) if (this.applyPayload(payload, "saved-output")) taken += 1;
    return taken;
  }

  /** True when the session's newest payload was read from the notebook's saved outputs (the kernel may not hold it). */
  isFromSavedOutput(sessionId: string): boolean {
    return this._seeded.has(sessionId);
  }

  /** Shows another session; unknown ids are ignored. */
  select(sessionId: string): void {
    if (sessionId === this._selectedId || !this._sessions.has(sessionId)) return;
    this._selectedId = sessionId;
    this._stateChanged.emit({ kind: "selection", sessionId });
  }

  /**
   * Keeps only the sessions whose card is still among the notebook's outputs (`shown`): a re-run of the cell that
   * made a session replaces its output, and the panel should not offer the old session any more. The selection
   * moves to the newest session left. Returns how many were dropped.
   */
  keepShown(shown: ReadonlySet<string>): number {
    const stale = [...this._sessions.keys()].filter((sessionId) => !shown.has(sessionId));
    if (stale.length === 0) return 0;
    for (const sessionId of stale) {
      this._sessions.delete(sessionId);
      this._seeded.delete(sessionId);
    }
    if (this._selectedId !== null && !this._sessions.has(this._selectedId)) {
      this._selectedId = [...this._sessions.keys()].pop() ?? null;
    }
    this._stateChanged.emit({ kind: "pruned", sessionIds: stale });
    return stale.length;
  }

  /** Forgets every session (kernel restarted or replaced: what it showed no longer exists). */
  reset(reason: string): void {
    if (this._sessions.size === 0 && this._selectedId === null) return;
    this._sessions.clear();
    this._seeded.clear();
    this._selectedId = null;
    this._stateChanged.emit({ kind: "reset", reason });
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    Signal.clearData(this);
  }
}
