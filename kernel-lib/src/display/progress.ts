/**
 * Progress of a long task (eimage STA, loading large files): in a notebook one display per task, updated in place at
 * most ~10 times a second; on a terminal a text bar on stderr; otherwise (tests, piped output) silent. The final
 * state is always sent.
 */
import { randomBytes } from "crypto";
import { nowIso } from "../session/time";
import { formatDuration, shorten } from "./html";
import { PLAIN_MIME, PROGRESS_DISPLAY_ID_PREFIX, PROGRESS_MIME, type ProgressBundle, type ProgressPayload } from "./protocol";
import { nextSeq } from "./seq";
import { defaultDisplayWriter, type DisplayWriter } from "./writer";

/** Where progress goes: `auto` = the display in a kernel (or the given writer), a text bar on a terminal, else nothing. */
export type ProgressOutput = "auto" | "display" | "stderr" | "none";

/** Options of {@link startProgress}. */
export interface ProgressOptions {
  /** What is being done, e.g. "eimage STA". */
  label: string;
  /** Amount of work (units, chunks, bytes); omit when unknown. */
  total?: number | null;
  /** Id of the task; default random. The display id is `hdmea-progress-<taskId>`. */
  taskId?: string;
  /** Writer of the display; giving one selects the display output under `auto`. */
  writer?: DisplayWriter;
  output?: ProgressOutput;
  /** Least time between two updates. Default 100 ms (text bar on a non-terminal stream: 1000 ms). */
  minIntervalMs?: number;
  /** Stream of the text bar. Default `process.stderr`. */
  stream?: { write(text: string): unknown; isTTY?: boolean };
}

/** A running progress report. */
export interface Progress {
  readonly taskId: string;
  readonly displayId: string;
  /** Sets the amount done (and an optional short message); sent at most once per interval. */
  update(done: number, message?: string): void;
  /** Adds `amount` (default 1) to the amount done. */
  advance(amount?: number, message?: string): void;
  /** Marks the task done and sends the final state now. */
  finish(message?: string): void;
  /** Marks the task failed and sends the final state now. */
  fail(error: unknown): void;
  /** The payload last sent (or built), for tests and the command line. */
  readonly lastPayload: ProgressPayload;
}

/** The progress bundle of a payload. */
export function progressBundle(payload: ProgressPayload): ProgressBundle {
  return { [PROGRESS_MIME]: payload, [PLAIN_MIME]: progressText(payload) };
}

/** One line: label, bar, percentage, counts, times. */
export function progressText(payload: ProgressPayload, barWidth = 20): string {
  const parts: string[] = [payload.label];
  if (payload.fraction !== null) {
    const filled = Math.round(payload.fraction * barWidth);
    parts.push(`[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}] ${Math.floor(payload.fraction * 100)}% (${payload.done}/${payload.total})`);
  } else {
    parts.push(`${payload.done} done`);
  }
  parts.push(formatDuration(payload.elapsedMs));
  if (payload.state === "running" && payload.etaMs !== null) parts.push(`~${formatDuration(payload.etaMs)} left`);
  if (payload.state !== "running") parts.push(payload.state);
  if (payload.message) parts.push(payload.message);
  return parts.join(" · ");
}

/** Starts reporting the progress of a task. */
export function startProgress(options: ProgressOptions): Progress {
  const output = resolveOutput(options);
  const stream = options.stream ?? process.stderr;
  const intervalMs = options.minIntervalMs ?? (output === "stderr" && !stream.isTTY ? 1000 : 100);
  return new ProgressReport(options, output, stream, intervalMs);
}

function resolveOutput(options: ProgressOptions): Exclude<ProgressOutput, "auto"> {
  const output = options.output ?? "auto";
  if (output !== "auto") return output;
  if (options.writer !== undefined || defaultDisplayWriter().inKernel) return "display";
  return (options.stream ?? process.stderr).isTTY ? "stderr" : "none";
}

class ProgressReport implements Progress {
  readonly taskId: string;
  readonly displayId: string;
  private readonly startedAtMs = performance.now();
  private readonly total: number | null;
  private done = 0;
  private message = "";
  private state: ProgressPayload["state"] = "running";
  private seq = 0;
  private sentCount = 0;
  private lastSentAtMs = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private _lastPayload: ProgressPayload;
  private readonly writer: DisplayWriter | undefined;

  constructor(
    private readonly options: ProgressOptions,
    private readonly output: Exclude<ProgressOutput, "auto">,
    private readonly stream: { write(text: string): unknown; isTTY?: boolean },
    private readonly intervalMs: number,
  ) {
    this.taskId = options.taskId ?? randomBytes(6).toString("hex");
    this.displayId = `${PROGRESS_DISPLAY_ID_PREFIX}${this.taskId}`;
    this.total = options.total !== undefined && options.total !== null && options.total > 0 ? options.total : null;
    this.writer = output === "display" ? (options.writer ?? defaultDisplayWriter()) : undefined;
    this._lastPayload = this.payload();
    this.send();
  }

  get lastPayload(): ProgressPayload {
    return this._lastPayload;
  }

  update(done: number, message?: string): void {
    if (this.state !== "running") return;
    this.done = done;
    if (message !== undefined) this.message = shorten(message, 200);
    this.schedule();
  }

  advance(amount = 1, message?: string): void {
    this.update(this.done + amount, message);
  }

  finish(message?: string): void {
    this.end("done", message);
  }

  fail(error: unknown): void {
    this.end("failed", error instanceof Error ? error.message : String(error));
  }

  private end(state: "done" | "failed", message?: string): void {
    if (this.state !== "running") return;
    this.state = state;
    if (state === "done" && this.total !== null) this.done = Math.max(this.done, this.total);
    if (message !== undefined) this.message = shorten(message, 200);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.send();
  }

  private schedule(): void {
    if (this.timer !== undefined) return; // the pending send reads the latest state
    const waitMs = this.lastSentAtMs + this.intervalMs - performance.now();
    if (waitMs <= 0) {
      this.send();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.state === "running") this.send();
    }, waitMs);
  }

  private send(): void {
    this._lastPayload = this.payload();
    this.lastSentAtMs = performance.now();
    if (this.output === "display" && this.writer !== undefined) {
      this.writer.write(progressBundle(this._lastPayload), { displayId: this.displayId, update: this.sentCount > 0 });
    } else if (this.output === "stderr") {
      const line = progressText(this._lastPayload);
      const finalLine = this._lastPayload.state !== "running";
      this.stream.write(this.stream.isTTY ? `\r\u001b[2K${line}${finalLine ? "\n" : ""}` : `${line}\n`);
    }
    this.sentCount++;
  }

  private payload(): ProgressPayload {
    const elapsedMs = performance.now() - this.startedAtMs;
    const fraction = this.total === null ? null : Math.min(1, Math.max(0, this.done / this.total));
    const etaMs = fraction !== null && fraction > 0 && fraction < 1 ? (elapsedMs * (1 - fraction)) / fraction : null;
    this.seq = nextSeq(this.seq);
    return {
      schema: 1,
      taskId: this.taskId,
      label: this.options.label,
      state: this.state,
      done: this.done,
      total: this.total,
      fraction,
      elapsedMs: Math.round(elapsedMs),
      etaMs: etaMs === null ? null : Math.round(etaMs),
      message: this.message,
      seq: this.seq,
      updatedAt: nowIso(),
    };
  }
}
