/** The progress bar of a long-running task; updated in place through its display id. */
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { h } from "../dom";
import { formatDuration } from "../format";
import { progressFinished, progressFraction, readProgressPayload, type ProgressPayload } from "../protocol";
import { HdmeaRenderer } from "./renderer-base";

export const PROGRESS_CLASS = "hdmea-Progress";

function statusText(payload: ProgressPayload, fraction: number | null): string {
  const count = payload.total === null ? `${payload.done}` : `${payload.done} / ${payload.total}`;
  const percent = fraction === null ? "" : ` (${Math.round(fraction * 100)}%)`;
  const eta = !progressFinished(payload) && payload.etaMs != null ? `, ${formatDuration(payload.etaMs)} left` : "";
  const state = payload.state === "failed" ? " failed" : progressFinished(payload) ? " done" : "";
  return `${count}${percent}${eta}${state}`;
}

export class ProgressRenderer extends HdmeaRenderer<ProgressPayload> {
  constructor(options: IRenderMime.IRendererOptions) {
    super(options, PROGRESS_CLASS);
  }

  protected read(data: unknown): ProgressPayload | null {
    return readProgressPayload(data);
  }

  protected renderPayload(payload: ProgressPayload): void {
    const fraction = progressFraction(payload);
    const finished = progressFinished(payload);
    this.node.classList.toggle("hdmea-mod-finished", finished);
    this.node.classList.toggle("hdmea-mod-failed", payload.state === "failed");
    const fill = h("div", { className: "hdmea-Progress-fill" });
    fill.style.width = `${((finished && payload.state !== "failed" ? 1 : fraction ?? 0) * 100).toFixed(1)}%`;
    const bar = h(
      "div",
      {
        className: `hdmea-Progress-bar${fraction === null && !finished ? " hdmea-mod-indeterminate" : ""}`,
        attrs: {
          role: "progressbar",
          "aria-valuemin": "0",
          "aria-valuemax": "100",
          ...(fraction === null ? {} : { "aria-valuenow": String(Math.round(fraction * 100)) }),
          "aria-label": payload.label,
        },
      },
      [fill],
    );
    const parts = [
      h("div", { className: "hdmea-Progress-label", text: payload.label }),
      bar,
      h("div", { className: "hdmea-Progress-status", text: statusText(payload, fraction) }),
      payload.message ? h("div", { className: "hdmea-muted", text: payload.message }) : null,
    ];
    for (const part of parts) if (part) this.node.appendChild(part);
  }
}
