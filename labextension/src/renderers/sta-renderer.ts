/**
 * The STA viewer: one unit's spike-triggered average as a heatmap per frame, a frame slider, a unit picker when the
 * bundle carries several units (it opens at the plotted one), and the peak pixel's time course with the shown frame
 * marked.
 */
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { h } from "../dom";
import { readStaPayload, staSelectedIndex, type StaPayload } from "../protocol";
import { decodeBase64, HdmeaRenderer } from "./renderer-base";

export const STA_CLASS = "hdmea-StaViewer";
const SVG_NS = "http://www.w3.org/2000/svg";
const TRACE_WIDTH = 240;
const TRACE_HEIGHT = 80;

/** One unit's frames with the statistics the colour scale and the initial frame need. */
export interface StaUnitFrames {
  unitId: string;
  values: Float32Array;
  mean: number;
  /** Largest |value − mean|; 0 for a flat STA. */
  spread: number;
  peak: { frame: number; row: number; col: number };
}

/** Decodes one unit and finds its peak (the pixel and frame farthest from the mean). */
export function unitFrames(payload: StaPayload, index: number): StaUnitFrames {
  const [frames, rows, cols] = payload.shape;
  const unit = payload.units[index];
  const bytes = decodeBase64(unit.base64);
  const expected = frames * rows * cols * 4;
  if (bytes.byteLength !== expected) {
    throw new Error(`STA of ${unit.unitId} has ${bytes.byteLength} bytes, expected ${expected} for shape ${payload.shape.join(" × ")}`);
  }
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, frames * rows * cols);
  let sum = 0;
  let finite = 0;
  for (const v of values) if (Number.isFinite(v)) (sum += v), (finite += 1);
  const mean = finite > 0 ? sum / finite : 0;
  let spread = 0;
  let at = 0;
  values.forEach((v, i) => {
    const d = Number.isFinite(v) ? Math.abs(v - mean) : 0;
    if (d > spread) (spread = d), (at = i);
  });
  const frame = Math.floor(at / (rows * cols));
  const rest = at - frame * rows * cols;
  return { unitId: unit.unitId, values, mean, spread, peak: { frame, row: Math.floor(rest / cols), col: rest % cols } };
}

/** Diverging colour of a value: blue below the mean, red above (ON), pale in between. */
export function staColour(value: number, mean: number, spread: number): string {
  if (!Number.isFinite(value)) return "transparent";
  const t = spread > 0 ? Math.max(-1, Math.min(1, (value - mean) / spread)) : 0;
  const pale = [247, 247, 247];
  const end = t >= 0 ? [178, 24, 43] : [33, 102, 172];
  const a = Math.abs(t);
  const mix = pale.map((p, i) => Math.round(p + (end[i] - p) * a));
  return `rgb(${mix[0]}, ${mix[1]}, ${mix[2]})`;
}

export class StaViewer extends HdmeaRenderer<StaPayload> {
  private payload: StaPayload | null = null;
  private unit: StaUnitFrames | null = null;
  private frame = 0;
  private pixels: HTMLElement[] = [];
  private slider: HTMLInputElement | null = null;
  private frameLabel: HTMLElement | null = null;
  private trace: SVGSVGElement | null = null;

  constructor(options: IRenderMime.IRendererOptions) {
    super(options, STA_CLASS);
  }

  /** The frame on show (index into the STA, 0 = first frame). */
  get currentFrame(): number {
    return this.frame;
  }

  get currentUnitId(): string | null {
    return this.unit?.unitId ?? null;
  }

  protected read(data: unknown): StaPayload | null {
    return readStaPayload(data);
  }

  protected renderPayload(payload: StaPayload, signal: AbortSignal): void {
    this.payload = payload;
    const [frames, rows, cols] = payload.shape;
    const selected = staSelectedIndex(payload);
    const controls = h("div", { className: "hdmea-StaViewer-controls" });
    if (payload.units.length > 1) {
      const picker = h("select", { className: "hdmea-StaViewer-unit", attrs: { "aria-label": "Unit" } });
      payload.units.forEach((unit, index) => picker.appendChild(h("option", { text: unit.unitId, attrs: { value: String(index) } })));
      picker.value = String(selected);
      picker.addEventListener("change", () => this.showUnit(Number(picker.value)), { signal });
      controls.appendChild(h("label", { text: "unit " }, [picker]));
    }
    this.slider = h("input", {
      className: "hdmea-StaViewer-frame",
      attrs: { type: "range", min: "0", max: String(frames - 1), step: "1", "aria-label": "Frame" },
    });
    this.slider.addEventListener("input", () => this.showFrame(Number(this.slider!.value)), { signal });
    this.frameLabel = h("span", { className: "hdmea-StaViewer-frameLabel" });
    controls.append(h("label", { text: "frame " }, [this.slider]), this.frameLabel);

    const grid = h("div", { className: "hdmea-StaViewer-grid" });
    grid.style.gridTemplateColumns = `repeat(${cols}, 1fr)`;
    grid.style.aspectRatio = `${cols} / ${rows}`;
    this.pixels = [];
    for (let i = 0; i < rows * cols; i++) {
      const pixel = h("div", { className: "hdmea-StaViewer-pixel" });
      this.pixels.push(pixel);
      grid.appendChild(pixel);
    }
    this.trace = document.createElementNS(SVG_NS, "svg");
    this.trace.setAttribute("class", "hdmea-StaViewer-trace");
    this.trace.setAttribute("viewBox", `0 0 ${TRACE_WIDTH} ${TRACE_HEIGHT}`);
    this.trace.setAttribute("role", "img");

    this.node.append(
      h("div", { className: "hdmea-StaViewer-title", text: payload.title }),
      controls,
      h("div", { className: "hdmea-StaViewer-body" }, [grid, this.trace]),
    );
    this.showUnit(selected);
  }

  /** Shows unit `index` of the payload at its peak frame. */
  showUnit(index: number): void {
    if (!this.payload) return;
    this.unit = unitFrames(this.payload, index);
    this.drawTrace();
    this.showFrame(this.unit.peak.frame);
  }

  /** Shows frame `frame` (clamped to the STA). */
  showFrame(frame: number): void {
    const unit = this.unit;
    const payload = this.payload;
    if (!unit || !payload) return;
    const [frames, rows, cols] = payload.shape;
    this.frame = Math.max(0, Math.min(frames - 1, Math.round(frame)));
    const offset = this.frame * rows * cols;
    for (let i = 0; i < rows * cols; i++) {
      const value = unit.values[offset + i];
      const pixel = this.pixels[i];
      pixel.style.background = staColour(value, unit.mean, unit.spread);
      pixel.title = `row ${Math.floor(i / cols)}, col ${i % cols}: ${value.toPrecision(4)}`;
      pixel.classList.toggle("hdmea-mod-peak", this.frame === unit.peak.frame && i === unit.peak.row * cols + unit.peak.col);
    }
    if (this.slider) this.slider.value = String(this.frame);
    if (this.frameLabel) {
      const relative = this.frame + payload.firstFrameOffset;
      this.frameLabel.textContent = `${relative} (relative to spike)${this.frame === unit.peak.frame ? ", peak" : ""}`;
    }
    const marker = this.trace?.querySelector(".hdmea-StaViewer-marker");
    if (marker) {
      const x = frames > 1 ? (this.frame / (frames - 1)) * TRACE_WIDTH : TRACE_WIDTH / 2;
      marker.setAttribute("x1", x.toFixed(1));
      marker.setAttribute("x2", x.toFixed(1));
    }
  }

  private drawTrace(): void {
    const unit = this.unit;
    const payload = this.payload;
    const svg = this.trace;
    if (!unit || !payload || !svg) return;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const [frames, rows, cols] = payload.shape;
    const pixel = unit.peak.row * cols + unit.peak.col;
    const spread = unit.spread || 1;
    const points: string[] = [];
    for (let f = 0; f < frames; f++) {
      const value = unit.values[f * rows * cols + pixel];
      const x = frames > 1 ? (f / (frames - 1)) * TRACE_WIDTH : TRACE_WIDTH / 2;
      const y = TRACE_HEIGHT / 2 - ((Number.isFinite(value) ? value - unit.mean : 0) / spread) * (TRACE_HEIGHT / 2 - 4);
      points.push(`${x.toFixed(1)},${y.toFixed(1)}`);
    }
    const baseline = document.createElementNS(SVG_NS, "line");
    baseline.setAttribute("class", "hdmea-StaViewer-baseline");
    baseline.setAttribute("x1", "0");
    baseline.setAttribute("x2", String(TRACE_WIDTH));
    baseline.setAttribute("y1", String(TRACE_HEIGHT / 2));
    baseline.setAttribute("y2", String(TRACE_HEIGHT / 2));
    const line = document.createElementNS(SVG_NS, "polyline");
    line.setAttribute("class", "hdmea-StaViewer-line");
    line.setAttribute("points", points.join(" "));
    const marker = document.createElementNS(SVG_NS, "line");
    marker.setAttribute("class", "hdmea-StaViewer-marker");
    marker.setAttribute("y1", "0");
    marker.setAttribute("y2", String(TRACE_HEIGHT));
    const title = document.createElementNS(SVG_NS, "title");
    title.textContent = `${unit.unitId}: peak pixel (row ${unit.peak.row}, col ${unit.peak.col}) over time`;
    svg.append(title, baseline, line, marker);
  }
}
