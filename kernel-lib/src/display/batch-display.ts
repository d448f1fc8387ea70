/**
 * The live display of a batch or sweep (BATCH_MIME): one display per batch, the whole state re-sent with
 * `update_display_data` on every change, at most ~10 times a second, the final state always. The HTML fallback is a
 * static table (no script), so the notebook still reads on GitHub or nbviewer.
 */
import { randomBytes } from "crypto";
import { escapeHtml, shorten } from "./html";
import {
  BATCH_DISPLAY_ID_PREFIX,
  BATCH_MIME,
  BATCH_PAYLOAD_MAX_ITEMS,
  HTML_MIME,
  PLAIN_MIME,
  type BatchBundle,
  type BatchItem,
  type BatchItemState,
  type BatchPayload,
} from "./protocol";
import { nextSeq } from "./seq";
import { nowIso } from "../session/time";
import { defaultDisplayWriter, type DisplayWriter } from "./writer";

const STATES: readonly BatchItemState[] = ["queued", "running", "done", "skipped", "failed", "missing", "stale"];

/** The bundle of a batch payload. */
export function batchBundle(payload: BatchPayload): BatchBundle {
  return { [BATCH_MIME]: payload, [HTML_MIME]: batchHtml(payload), [PLAIN_MIME]: batchText(payload) };
}

/** One line of counts, then the failures with their errors. */
export function batchText(payload: BatchPayload): string {
  const counts = STATES.filter((state) => payload.counts[state] > 0).map((state) => `${state} ${payload.counts[state]}`);
  const lines = [`${payload.kind} ${payload.name} · ${payload.activity} · ${payload.state} · ${counts.join(" · ") || "empty"} (of ${payload.total})`];
  for (const item of payload.items) if (item.state === "failed") lines.push(`  failed ${item.id}: ${shorten(item.detail, 300)}`);
  return lines.join("\n");
}

/** A static HTML table of the items. */
export function batchHtml(payload: BatchPayload): string {
  const rows = payload.items
    .map(
      (item) =>
        `<tr><td>${item.index}</td><td>${escapeHtml(item.id)}</td><td>${item.state}</td><td>${item.unitCount ?? ""}</td><td>${escapeHtml(shorten(item.detail, 300))}</td></tr>`,
    )
    .join("");
  const omitted = payload.itemsOmitted > 0 ? `<p>${payload.itemsOmitted} more not listed</p>` : "";
  return (
    `<div class="hdmea-batch"><p><b>${escapeHtml(payload.kind)} ${escapeHtml(payload.name)}</b> · ${escapeHtml(payload.activity)} · ${payload.state}</p>` +
    `<table><thead><tr><th>#</th><th>id</th><th>state</th><th>units</th><th>detail</th></tr></thead><tbody>${rows}</tbody></table>${omitted}</div>`
  );
}

/** Options of {@link BatchDisplay}. */
export interface BatchDisplayOptions {
  readonly batchId: string;
  readonly kind: "batch" | "sweep";
  readonly name: string;
  readonly items: readonly BatchItem[];
  readonly activity: string;
  /** Writer of the display. Default: the kernel's, or a recording sink outside a kernel. */
  readonly writer?: DisplayWriter;
  /** Least time between two updates. Default 100 ms. */
  readonly minIntervalMs?: number;
}

/** A batch display that updates in place. */
export class BatchDisplay {
  readonly displayId: string;
  private readonly items: BatchItem[];
  private readonly writer: DisplayWriter;
  private readonly minIntervalMs: number;
  private activity: string;
  private state: BatchPayload["state"] = "running";
  private seq = 0;
  private sent = 0;
  private lastSentMs = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private _lastPayload: BatchPayload;

  constructor(private readonly options: BatchDisplayOptions) {
    // One display per call (run, status, submit): the batch id inside the payload is what ties them together for
    // the session panel; a shared display id would make every earlier output of the batch repaint as the latest.
    this.displayId = `${BATCH_DISPLAY_ID_PREFIX}${options.batchId}-${randomBytes(4).toString("hex")}`;
    this.items = options.items.map((item) => ({ ...item }));
    this.writer = options.writer ?? defaultDisplayWriter();
    this.minIntervalMs = options.minIntervalMs ?? 100;
    this.activity = options.activity;
    this._lastPayload = this.payload();
    this.send();
  }

  /** The payload last sent. */
  get lastPayload(): BatchPayload {
    return this._lastPayload;
  }

  /** Changes one item (by index) and schedules an update. */
  setItem(index: number, change: Partial<Omit<BatchItem, "index" | "id">>): void {
    const item = this.items.find((candidate) => candidate.index === index);
    if (item === undefined) return;
    Object.assign(item, change);
    this.schedule();
  }

  /** Sends the final state now. */
  finish(state: "done" | "interrupted" | "failed" | "idle", activity?: string): void {
    this.state = state;
    if (activity !== undefined) this.activity = activity;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.send();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const waitMs = this.lastSentMs + this.minIntervalMs - performance.now();
    if (waitMs <= 0) {
      this.send();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, waitMs);
  }

  private send(): void {
    this._lastPayload = this.payload();
    this.lastSentMs = performance.now();
    this.writer.write(batchBundle(this._lastPayload), { displayId: this.displayId, update: this.sent > 0 });
    this.sent++;
  }

  private payload(): BatchPayload {
    const counts = Object.fromEntries(STATES.map((state) => [state, 0])) as BatchPayload["counts"];
    for (const item of this.items) counts[item.state]++;
    this.seq = nextSeq(this.seq);
    return {
      schema: 1,
      batchId: this.options.batchId,
      kind: this.options.kind,
      name: this.options.name,
      activity: this.activity,
      state: this.state,
      counts,
      total: this.items.length,
      items: this.items.slice(0, BATCH_PAYLOAD_MAX_ITEMS).map((item) => ({ ...item, detail: shorten(item.detail, 2000) })),
      itemsOmitted: Math.max(0, this.items.length - BATCH_PAYLOAD_MAX_ITEMS),
      seq: this.seq,
      updatedAt: nowIso(),
    };
  }
}
