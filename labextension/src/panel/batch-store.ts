/**
 * The batches and sweeps one notebook's kernel has shown (BATCH_MIME): the newest payload of each, by batch id, and
 * which failed item the user opened. Owns the state and announces changes through one signal; the batch section only
 * reads it (STYLE §2.1). Cleared with the kernel, seeded from the saved outputs like the session store.
 */
import type { KernelMessage } from "@jupyterlab/services";
import type * as nbformat from "@jupyterlab/nbformat";
import { Signal, type ISignal } from "@lumino/signaling";
import type { BatchPayload } from "hdmea/dist/display/protocol";
import { batchPayloadFromMessage, batchPayloadsFromNotebook } from "./batch-messages";

export class BatchStore {
  private readonly _batches = new Map<string, BatchPayload>();
  private readonly _opened = new Map<string, number>();
  private readonly _changed = new Signal<this, string | null>(this);
  private _isDisposed = false;

  /** Fires with the batch id that changed, or null after a reset. */
  get changed(): ISignal<this, string | null> {
    return this._changed;
  }

  /** Every batch, the one updated last first. */
  get batches(): readonly BatchPayload[] {
    return [...this._batches.values()].sort((a, b) => b.seq - a.seq);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** The index of the failed item whose error is open in `batchId`, or null. */
  openedItem(batchId: string): number | null {
    return this._opened.get(batchId) ?? null;
  }

  /** Takes a payload unless an equal or newer one (by `seq`) is held. */
  apply(payload: BatchPayload): boolean {
    const held = this._batches.get(payload.batchId);
    if (held !== undefined && payload.seq <= held.seq) return false;
    this._batches.set(payload.batchId, payload);
    this._changed.emit(payload.batchId);
    return true;
  }

  /** Feeds one kernel message; only batch displays and their updates are used. */
  handleMessage(msg: KernelMessage.IMessage): boolean {
    const payload = batchPayloadFromMessage(msg);
    return payload === null ? false : this.apply(payload);
  }

  seedFromNotebook(notebook: nbformat.INotebookContent): number {
    let taken = 0;
    for (const payload of batchPayloadsFromNotebook(notebook)) if (this.apply(payload)) taken += 1;
    return taken;
  }

  /** Opens the error of a failed item (or closes it when it is already open). */
  toggleItem(batchId: string, index: number): void {
    if (!this._batches.has(batchId)) return;
    if (this._opened.get(batchId) === index) this._opened.delete(batchId);
    else this._opened.set(batchId, index);
    this._changed.emit(batchId);
  }

  reset(): void {
    if (this._batches.size === 0) return;
    this._batches.clear();
    this._opened.clear();
    this._changed.emit(null);
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    Signal.clearData(this);
  }
}
