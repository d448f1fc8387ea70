/**
 * The STA viewer's time course as an SVG with axes: frames relative to the spike on x (ticks at round offsets, the
 * spike at 0), the peak pixel's STA value on y, the peak frame dashed and the frame on show as a solid marker.
 * Plain functions of numbers, so tests can check ticks and positions without a layout engine.
 */
import { svg } from "../dom";

export const TRACE_WIDTH = 300;
export const TRACE_HEIGHT = 150;
const MARGIN = { left: 48, right: 10, top: 8, bottom: 34 };
const PLOT_WIDTH = TRACE_WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = TRACE_HEIGHT - MARGIN.top - MARGIN.bottom;
const TICK_STEPS = [1, 2, 5, 10, 15, 20, 30, 60, 120];

/** Round offsets between `first` and `last` (inclusive), at most about six, always with 0 when it is in range. */
export function frameTicks(first: number, last: number): number[] {
  const span = Math.max(1, last - first);
  const step = TICK_STEPS.find((s) => span / s <= 6) ?? Math.ceil(span / 6);
  const ticks: number[] = [];
  for (let t = Math.ceil(first / step) * step; t <= last; t += step) ticks.push(t);
  return ticks;
}

/** x of frame index `frame` (0 = first frame) in the trace's viewBox. */
export function frameX(frame: number, frames: number): number {
  return MARGIN.left + (frames > 1 ? frame / (frames - 1) : 0.5) * PLOT_WIDTH;
}

/** Draws the time course of `trace` (one value per frame) into `host`, replacing what was there. */
export function drawTimeCourse(host: SVGSVGElement, options: { trace: ArrayLike<number>; firstFrameOffset: number; peakFrame: number; title: string }): void {
  while (host.firstChild) host.removeChild(host.firstChild);
  const frames = options.trace.length;
  const finite = Array.from(options.trace).filter(Number.isFinite);
  let low = finite.length > 0 ? Math.min(...finite) : 0;
  let high = finite.length > 0 ? Math.max(...finite) : 1;
  if (high - low < 1e-12) (low -= 0.5), (high += 0.5);
  const pad = (high - low) * 0.06;
  (low -= pad), (high += pad);
  const y = (value: number) => MARGIN.top + (1 - (value - low) / (high - low)) * PLOT_HEIGHT;
  const bottom = MARGIN.top + PLOT_HEIGHT;
  const right = MARGIN.left + PLOT_WIDTH;

  host.appendChild(svg("title", { text: options.title }));
  host.appendChild(svg("line", { class: "hdmea-StaViewer-axis", x1: MARGIN.left, x2: right, y1: bottom, y2: bottom }));
  host.appendChild(svg("line", { class: "hdmea-StaViewer-axis", x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: bottom }));
  const last = options.firstFrameOffset + frames - 1;
  for (const tick of frameTicks(options.firstFrameOffset, last)) {
    const x = frameX(tick - options.firstFrameOffset, frames);
    host.appendChild(svg("line", { class: "hdmea-StaViewer-tick", x1: x, x2: x, y1: bottom, y2: bottom + 4 }));
    host.appendChild(svg("text", { class: "hdmea-StaViewer-tickLabel hdmea-StaViewer-xTick", x, y: bottom + 14, "text-anchor": "middle", text: String(tick) }));
  }
  for (const value of [low + pad, (low + high) / 2, high - pad]) {
    const at = y(value);
    host.appendChild(svg("line", { class: "hdmea-StaViewer-tick", x1: MARGIN.left - 4, x2: MARGIN.left, y1: at, y2: at }));
    host.appendChild(
      svg("text", { class: "hdmea-StaViewer-tickLabel hdmea-StaViewer-yTick", x: MARGIN.left - 6, y: at + 3, "text-anchor": "end", text: formatValue(value) }),
    );
  }
  host.appendChild(
    svg("text", { class: "hdmea-StaViewer-axisLabel hdmea-StaViewer-xLabel", x: MARGIN.left + PLOT_WIDTH / 2, y: TRACE_HEIGHT - 4, "text-anchor": "middle", text: "frames relative to spike (0 = spike)" }),
  );
  host.appendChild(
    svg("text", {
      class: "hdmea-StaViewer-axisLabel hdmea-StaViewer-yLabel",
      x: 10,
      y: MARGIN.top + PLOT_HEIGHT / 2,
      "text-anchor": "middle",
      transform: `rotate(-90 10 ${MARGIN.top + PLOT_HEIGHT / 2})`,
      text: "STA value",
    }),
  );
  const points: string[] = [];
  for (let f = 0; f < frames; f++) {
    const value = options.trace[f];
    if (Number.isFinite(value)) points.push(`${frameX(f, frames).toFixed(1)},${y(value).toFixed(1)}`);
  }
  const peakX = frameX(options.peakFrame, frames).toFixed(1);
  host.appendChild(svg("line", { class: "hdmea-StaViewer-peakLine", x1: peakX, x2: peakX, y1: MARGIN.top, y2: bottom }));
  host.appendChild(svg("polyline", { class: "hdmea-StaViewer-line", points: points.join(" ") }));
  host.appendChild(svg("line", { class: "hdmea-StaViewer-marker", x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: bottom }));
}

/** Moves the frame marker of a drawn time course to frame index `frame`. */
export function moveMarker(host: SVGSVGElement, frame: number, frames: number): void {
  const marker = host.querySelector(".hdmea-StaViewer-marker");
  if (!marker) return;
  const x = frameX(frame, frames).toFixed(1);
  marker.setAttribute("x1", x);
  marker.setAttribute("x2", x);
}

/** A value with three significant digits (tick labels, colour bar). */
export function formatValue(value: number): string {
  return Number.isFinite(value) ? Number(value.toPrecision(3)).toString() : "–";
}
