/**
 * The session card (DESIGN §6): one display per session showing what the session holds, which steps ran, the
 * warnings and the memory estimate, updated in place after every change.
 *
 *   session ──sessionPayload──▶ SessionPayload ──sessionBundle──▶ {session mime, text/html, text/plain} ≤ 64 KB
 *   showSession: display_data(id hdmea-session-<sessionId>) ── session.onChange ──▶ update_display_data(whole bundle)
 *
 * The payload is a bounded summary (counts, the most recent steps with their summarised parameters and warnings, the
 * most recent session warnings), never data, so building it takes the same time for a short or a long recording.
 */
import * as path from "path";
import type { PipelineSession } from "../session/session";
import type { StepRecord } from "../session/step-records";
import { nowIso } from "../session/time";
import { escapeHtml, formatBytes, formatDuration, htmlTable, jsonBytes, shorten } from "./html";
import {
  HTML_MIME,
  JUPYTER_DISPLAY,
  PLAIN_MIME,
  SESSION_BUNDLE_MAX_BYTES,
  SESSION_DISPLAY_ID_PREFIX,
  SESSION_MIME,
  type SessionBundle,
  type SessionPayload,
  type SessionStepSummary,
} from "./protocol";
import { clockSeq, nextSeq } from "./seq";
import { summariseParams } from "./summarise";
import { defaultDisplayWriter, type DisplayWriter } from "./writer";

/** Options of {@link sessionPayload} and {@link sessionBundle}. */
export interface SessionBundleOptions {
  /** Sequence number; default the clock's (see `clockSeq`). */
  seq?: number;
  /** Build time; default now. */
  updatedAt?: string;
  /** Most recent step records listed (older ones are counted in `stepsOmitted`). Default 50. */
  maxSteps?: number;
  /** Most recent warnings listed (older ones are counted in `warningsOmitted`). Default 50. */
  maxWarnings?: number;
  /** Most recent warnings listed in each step (older ones are counted in the step's `warningsOmitted`). Default 10. */
  maxStepWarnings?: number;
  /** Longest warning or error text, and the budget of each step's summarised parameters, in characters. Default 400. */
  maxTextChars?: number;
  /** Upper bound of the whole bundle in bytes of JSON; lists are shortened further until it fits. Default 64 KiB. */
  maxBytes?: number;
}

const MAX_COMPLETED_STEP_NAMES = 100;
const HTML_STEPS = 20;
const HTML_WARNINGS = 10;
const HTML_PARAMS_CHARS = 120;

/** The session card payload: a bounded summary of `session`. */
export function sessionPayload(session: PipelineSession, options: SessionBundleOptions = {}): SessionPayload {
  const maxSteps = Math.max(0, options.maxSteps ?? 50);
  const maxWarnings = Math.max(0, options.maxWarnings ?? 50);
  const maxText = options.maxTextChars ?? 400;
  const maxStepWarnings = Math.max(0, options.maxStepWarnings ?? 10);
  // Before "saved" is shown: a file another writer changed makes the session deferred (with a warning) here.
  session.checkFile();
  const records = session.stepRecords;
  const warnings = session.warnings;
  const breakdown = session.memoryBreakdown;
  const shownRecords = maxSteps === 0 ? [] : records.slice(-maxSteps);
  const shownWarnings = maxWarnings === 0 ? [] : warnings.slice(-maxWarnings);
  return {
    schema: 1,
    sessionId: session.sessionId,
    datasetId: session.datasetId,
    seq: options.seq ?? clockSeq(),
    saveState: session.saveState,
    hdf5Path: session.hdf5Path,
    hdf5RelativePath: session.hdf5Path === null ? null : relativeToKernel(session.hdf5Path),
    outputDir: relativeToKernel(session.outputDir),
    unitCount: session.unitCount,
    memory: {
      bytes: breakdown.units + breakdown.metadata + breakdown.stimulus,
      breakdown: { units: breakdown.units, metadata: breakdown.metadata, stimulus: breakdown.stimulus },
    },
    completedSteps: [...session.completedSteps].slice(0, MAX_COMPLETED_STEP_NAMES).map((name) => shorten(name, 100)),
    steps: shownRecords.map((record) => stepSummary(record, maxText, maxStepWarnings)),
    stepsOmitted: records.length - shownRecords.length,
    warnings: shownWarnings.map((warning) => shorten(warning, maxText)),
    warningsOmitted: warnings.length - shownWarnings.length,
    updatedAt: options.updatedAt ?? nowIso(),
  };
}

/** `file` relative to the kernel's working folder (the notebook's folder under Jupyter), with `/` separators. */
function relativeToKernel(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return (relative === "" ? "." : relative).split(path.sep).join("/");
}

/**
 * The session card bundle: the session payload, an escaped HTML table (no scripts) and one line of text. At most
 * `maxBytes` (64 KiB) whatever the session holds: step and warning lists are shortened until it fits, and the
 * payload and the HTML say how many entries were left out.
 */
export function sessionBundle(session: PipelineSession, options: SessionBundleOptions = {}): SessionBundle {
  const maxBytes = options.maxBytes ?? SESSION_BUNDLE_MAX_BYTES;
  const fixed = { ...options, seq: options.seq ?? clockSeq(), updatedAt: options.updatedAt ?? nowIso() };
  let maxSteps = options.maxSteps ?? 50;
  let maxWarnings = options.maxWarnings ?? 50;
  let maxStepWarnings = options.maxStepWarnings ?? 10;
  let maxTextChars = options.maxTextChars ?? 400;
  for (;;) {
    const payload = sessionPayload(session, { ...fixed, maxSteps, maxWarnings, maxStepWarnings, maxTextChars });
    const bundle: SessionBundle = {
      [SESSION_MIME]: payload,
      [HTML_MIME]: sessionHtml(payload),
      [PLAIN_MIME]: sessionText(payload),
    };
    if (jsonBytes(bundle) <= maxBytes || (maxSteps === 0 && maxWarnings === 0 && maxTextChars <= 40)) return bundle;
    maxSteps = Math.floor(maxSteps / 2);
    maxWarnings = Math.floor(maxWarnings / 2);
    maxStepWarnings = Math.floor(maxStepWarnings / 2);
    if (maxSteps === 0 && maxWarnings === 0) maxTextChars = Math.max(40, Math.floor(maxTextChars / 2));
  }
}

/** One line describing the session, the `text/plain` fallback. */
export function sessionText(payload: SessionPayload): string {
  const saved = payload.saveState === "saved" && payload.hdf5Path ? `saved → ${payload.hdf5Path}` : payload.saveState;
  const warnings = payload.warnings.length + payload.warningsOmitted;
  return (
    `hdmea session ${payload.datasetId}: ${payload.unitCount} units, ${payload.completedSteps.length} steps completed, ` +
    `${warnings} warning${warnings === 1 ? "" : "s"}, ${formatBytes(payload.memory.bytes)}, ${saved}`
  );
}

/** The `text/html` fallback: escaped tables only, so GitHub, nbviewer and nbconvert show it as it is. */
export function sessionHtml(payload: SessionPayload): string {
  const { breakdown } = payload.memory;
  const summary = htmlTable({
    caption: `hdmea session ${payload.datasetId}`,
    header: ["", ""],
    rows: [
      ["units", String(payload.unitCount)],
      ["state", payload.saveState + (payload.hdf5Path ? ` → ${payload.hdf5Path}` : "")],
      [
        "memory",
        `${formatBytes(payload.memory.bytes)} (units ${formatBytes(breakdown.units)}, metadata ${formatBytes(breakdown.metadata)}, ` +
          `stimulus ${formatBytes(breakdown.stimulus)})`,
      ],
      ["completed steps", payload.completedSteps.join(", ") || "none"],
      ["updated", payload.updatedAt],
    ],
  });
  const steps = payload.steps.slice(-HTML_STEPS);
  const stepsLeftOut = payload.stepsOmitted + payload.steps.length - steps.length;
  const stepTable =
    steps.length === 0
      ? ""
      : htmlTable({
          header: ["step", "status", "duration", "warnings", "parameters"],
          rows: steps.map((step) => [
            step.name,
            step.status + (step.error ? `: ${step.error}` : ""),
            step.durationMs === null ? "running" : formatDuration(step.durationMs),
            String(step.warnings.length + step.warningsOmitted),
            shorten(JSON.stringify(step.params), HTML_PARAMS_CHARS),
          ]),
        }) + leftOutNote(stepsLeftOut, "earlier step");
  const warnings = payload.warnings.slice(-HTML_WARNINGS);
  const warningsLeftOut = payload.warningsOmitted + payload.warnings.length - warnings.length;
  const warningList =
    warnings.length === 0
      ? ""
      : `<p>Warnings:</p><ul>${warnings.map((warning) => `<li>${escapeHtml(warning)}</li>`).join("")}</ul>` +
        leftOutNote(warningsLeftOut, "earlier warning");
  return `<div class="hdmea-session">${summary}${stepTable}${warningList}</div>`;
}

function leftOutNote(count: number, what: string): string {
  return count > 0 ? `<p>… ${count} ${what}${count === 1 ? "" : "s"} not shown.</p>` : "";
}

function stepSummary(record: StepRecord, maxText: number, maxWarnings: number): SessionStepSummary {
  const warnings = record.warnings ?? [];
  const shownWarnings = maxWarnings === 0 ? [] : warnings.slice(-maxWarnings);
  const summary: SessionStepSummary = {
    name: shorten(record.name, 100),
    status: record.status,
    startedAt: record.startedAt,
    durationMs: record.durationMs,
    params: summariseParams(record.params ?? {}, maxText),
    warnings: shownWarnings.map((warning) => shorten(warning, maxText)),
    warningsOmitted: warnings.length - shownWarnings.length,
  };
  if (record.error !== undefined) summary.error = shorten(record.error, maxText);
  return summary;
}

/** Options of {@link showSession}. */
export interface ShowSessionOptions {
  /** Where the card goes; default the kernel's writer (or the recording sink outside a kernel). */
  writer?: DisplayWriter;
  /** Least time between two updates; changes in between are merged into one later update. Default 100 ms. */
  minIntervalMs?: number;
}

/** A shown session card, following its session until {@link SessionCard.close}. */
export interface SessionCard {
  /** `hdmea-session-<sessionId>`. */
  readonly displayId: string;
  /** The bundle last sent. */
  readonly lastBundle: SessionBundle;
  /** Sends a pending (throttled) update now, if there is one. */
  flush(): void;
  /** Stops following the session (the shown card keeps its last state). */
  close(): void;
}

class FollowingCard implements SessionCard {
  readonly displayId: string;
  private _lastBundle: SessionBundle;
  private lastSeq = 0;
  private lastSentAtMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastMilestone = "";
  private readonly unsubscribe: () => void;

  constructor(
    private readonly session: PipelineSession,
    readonly writer: DisplayWriter,
    private readonly minIntervalMs: number,
  ) {
    this.displayId = `${SESSION_DISPLAY_ID_PREFIX}${session.sessionId}`;
    this._lastBundle = this.build();
    this.unsubscribe = session.onChange(() => this.schedule());
  }

  get lastBundle(): SessionBundle {
    return this._lastBundle;
  }

  /** Shows the card (again) as a new output under the card's display id. */
  show(): void {
    this.lastMilestone = this.milestone();
    this._lastBundle = this.build();
    this.lastSentAtMs = performance.now();
    this.writer.write(this._lastBundle, { displayId: this.displayId });
  }

  flush(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.sendUpdate();
  }

  close(): void {
    this.flush();
    this.unsubscribe();
    followingCards.delete(this.session);
  }

  private schedule(): void {
    // A milestone (a step starting or ending, a save) is sent at once: a throttled update still pending
    // when a cell ends would arrive after the cell and be lost by notebook runners that store outputs per cell.
    const milestone = this.milestone();
    if (milestone !== this.lastMilestone) {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.sendUpdate();
      return;
    }
    if (this.timer !== undefined) return; // the pending update will read the latest state
    const waitMs = this.lastSentAtMs + this.minIntervalMs - performance.now();
    if (waitMs <= 0) {
      this.sendUpdate();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sendUpdate();
    }, waitMs);
  }

  private milestone(): string {
    const { stepRecords, completedSteps, saveState, hdf5Path, savedAt } = this.session;
    const last = stepRecords[stepRecords.length - 1];
    return [stepRecords.length, last?.status, completedSteps.size, saveState, hdf5Path, savedAt].join("|");
  }

  private sendUpdate(): void {
    this.lastMilestone = this.milestone();
    this._lastBundle = this.build();
    this.lastSentAtMs = performance.now();
    // An update replaces the whole output, so it carries every fallback again.
    this.writer.write(this._lastBundle, { displayId: this.displayId, update: true });
  }

  private build(): SessionBundle {
    this.lastSeq = nextSeq(this.lastSeq);
    return sessionBundle(this.session, { seq: this.lastSeq });
  }
}

// One following card per session, so showing a session twice does not subscribe twice. Weak: a dropped session and
// its card are collected together.
const followingCards = new WeakMap<PipelineSession, FollowingCard>();

/**
 * Shows the session card under the display id `hdmea-session-<sessionId>` and keeps it up to date: every change of
 * the session sends `update_display_data` with the whole bundle again: at once when a step starts or ends or the
 * session is saved; other changes (warnings, data) at most once per `minIntervalMs`, the last one always. Showing the same session again adds another
 * output with the same id (both are updated) and reuses the subscription.
 */
export function showSession(session: PipelineSession, options: ShowSessionOptions = {}): SessionCard {
  const writer = options.writer ?? defaultDisplayWriter();
  let card = followingCards.get(session);
  if (card === undefined || card.writer !== writer) {
    card?.close();
    card = new FollowingCard(session, writer, options.minIntervalMs ?? 100);
    followingCards.set(session, card);
  }
  card.show();
  return card;
}

/** Sends the pending (throttled) update of the session's card now, if it is shown and has one. */
export function flushSessionCard(session: PipelineSession): void {
  followingCards.get(session)?.flush();
}

/** An object that displays itself as the session card in kernels that look for `Symbol.for("Jupyter.display")`. */
export function sessionDisplayable(session: PipelineSession): { [JUPYTER_DISPLAY](): SessionBundle } {
  return { [JUPYTER_DISPLAY]: () => sessionBundle(session) };
}
