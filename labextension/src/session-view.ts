/**
 * The session summary as DOM: dataset, save state, units, memory with its breakdown, steps, warnings. A pure
 * function of one payload, shared by the side panel and the session card renderer.
 */
import { h } from "./dom";
import { formatBytes, formatDuration } from "./format";
import {
  sessionWarningCount,
  stepParamsText,
  stepWarningCount,
  type SessionPayload,
  type SessionStepSummary,
} from "./protocol";

export const SUMMARY_CLASS = "hdmea-SessionSummary";
const FACTS_CLASS = "hdmea-SessionSummary-facts";
const BADGE_CLASS = "hdmea-Badge";
const STEPS_CLASS = "hdmea-SessionSummary-steps";
const WARNINGS_CLASS = "hdmea-SessionSummary-warnings";
const BREAKDOWN_CLASS = "hdmea-SessionSummary-breakdown";
const MUTED_CLASS = "hdmea-muted";

/** `data-hdmea-field` values: stable hooks for tests and for users' own CSS. */
export const FIELD = {
  datasetId: "dataset-id",
  saveState: "save-state",
  hdf5Path: "hdf5-path",
  unitCount: "unit-count",
  memory: "memory",
  steps: "steps",
  warningCount: "warning-count",
  warnings: "warnings",
} as const;

/** Status marks: the panel is narrow, so a step's status is a coloured mark with the word as its label. */
const STATUS_MARK: Record<SessionStepSummary["status"], string> = { completed: "✓", failed: "✗", started: "…" };

function field(name: string): Record<string, string> {
  return { "data-hdmea-field": name };
}

/** A step row: a record from the payload, or a completed step that has no record (e.g. `markStepComplete`). */
interface StepRow {
  name: string;
  status: SessionStepSummary["status"];
  durationMs: number | null;
  params: string;
  warningCount: number;
  error?: string;
}

function stepRows(payload: SessionPayload): StepRow[] {
  const rows: StepRow[] = payload.steps.map((step) => ({
    name: step.name,
    status: step.status,
    durationMs: step.durationMs,
    params: stepParamsText(step),
    warningCount: stepWarningCount(step),
    error: step.error,
  }));
  const recorded = new Set(payload.steps.map((step) => step.name));
  for (const name of payload.completedSteps) {
    if (!recorded.has(name)) rows.push({ name, status: "completed", durationMs: null, params: "", warningCount: 0 });
  }
  return rows;
}

function saveStateView(payload: SessionPayload): HTMLElement {
  const saved = payload.saveState === "saved";
  return h("div", { className: "hdmea-SessionSummary-save" }, [
    h("span", {
      className: `${BADGE_CLASS} ${saved ? "hdmea-Badge-saved" : "hdmea-Badge-deferred"}`,
      text: saved ? "saved" : "deferred",
      attrs: field(FIELD.saveState),
      title: saved ? "Saved: the file holds everything in the session." : "Not saved since the last change.",
    }),
    payload.hdf5Path
      ? // The outer span clips from the left (keeps the file name); the inner one keeps the path's own order.
        h("span", { className: "hdmea-SessionSummary-path", title: payload.hdf5Path }, [
          h("span", { text: payload.hdf5Path, attrs: field(FIELD.hdf5Path) }),
        ])
      : h("span", { className: MUTED_CLASS, text: "no file yet", attrs: field(FIELD.hdf5Path) }),
  ]);
}

function factsView(payload: SessionPayload): HTMLElement {
  const { units, metadata, stimulus } = payload.memory.breakdown;
  const breakdown = h("ul", { className: BREAKDOWN_CLASS }, [
    h("li", { text: `units ${formatBytes(units)}` }),
    h("li", { text: `metadata ${formatBytes(metadata)}` }),
    h("li", { text: `stimulus ${formatBytes(stimulus)}` }),
  ]);
  return h("dl", { className: FACTS_CLASS }, [
    h("dt", { text: "Units" }),
    h("dd", { text: String(payload.unitCount), attrs: field(FIELD.unitCount) }),
    h("dt", { text: "Memory" }),
    h("dd", {}, [h("span", { text: formatBytes(payload.memory.bytes), attrs: field(FIELD.memory) }), breakdown]),
  ]);
}

function stepsView(payload: SessionPayload): HTMLElement {
  const rows = stepRows(payload);
  if (rows.length === 0) return h("p", { className: MUTED_CLASS, text: "No steps yet.", attrs: field(FIELD.steps) });
  // A list rather than a table: it stays readable in a narrow side panel (parameters wrap to their own line).
  const items = rows.map((row) =>
    h("li", { className: `hdmea-step hdmea-step-${row.status}`, attrs: { "data-hdmea-step": row.name } }, [
      h("span", { className: "hdmea-step-name", text: row.name, title: row.error ?? row.name }),
      h("span", {
        className: "hdmea-step-status",
        text: STATUS_MARK[row.status],
        title: row.status,
        attrs: { "data-status": row.status, "aria-label": row.status },
      }),
      h("span", { className: "hdmea-step-duration", text: formatDuration(row.durationMs) }),
      h("span", {
        className: "hdmea-step-warnings",
        text: row.warningCount > 0 ? `⚠ ${row.warningCount}` : "",
        title: row.warningCount > 0 ? `${row.warningCount} warning(s)` : "",
      }),
      row.params ? h("span", { className: "hdmea-step-params", text: row.params, title: row.params }) : null,
    ]),
  );
  const omitted = payload.stepsOmitted;
  return h("div", { attrs: field(FIELD.steps) }, [
    h("ol", { className: STEPS_CLASS }, items),
    omitted > 0 ? h("p", { className: MUTED_CLASS, text: `${omitted} older step records not shown` }) : null,
  ]);
}

function warningsView(payload: SessionPayload): HTMLElement {
  const count = sessionWarningCount(payload);
  const summary = h("summary", {}, [
    h("span", { text: "Warnings " }),
    h("span", {
      className: `${BADGE_CLASS} ${count > 0 ? "hdmea-Badge-warn" : "hdmea-Badge-none"}`,
      text: String(count),
      attrs: field(FIELD.warningCount),
    }),
  ]);
  const omitted = payload.warningsOmitted;
  const items = payload.warnings.map((warning) => h("li", { text: warning }));
  if (omitted > 0) items.unshift(h("li", { className: MUTED_CLASS, text: `… ${omitted} older warnings` }));
  return h("details", { className: WARNINGS_CLASS, attrs: field(FIELD.warnings) }, [summary, h("ul", {}, items)]);
}

/** The whole summary of one session. */
export function renderSessionSummary(payload: SessionPayload): HTMLElement {
  return h("div", { className: SUMMARY_CLASS, attrs: { "data-hdmea-session": payload.sessionId } }, [
    h("div", { className: "hdmea-SessionSummary-title" }, [
      h("span", { className: "hdmea-SessionSummary-dataset", text: payload.datasetId, attrs: field(FIELD.datasetId) }),
      h("span", { className: MUTED_CLASS, text: ` session ${payload.sessionId}` }),
    ]),
    saveStateView(payload),
    factsView(payload),
    h("div", { className: "hdmea-SessionSummary-heading", text: "Steps" }),
    stepsView(payload),
    warningsView(payload),
    h("div", { className: `${MUTED_CLASS} hdmea-SessionSummary-updated`, text: `updated ${payload.updatedAt}` }),
  ]);
}
