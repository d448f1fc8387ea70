/**
 * The STA viewer: one unit's spike-triggered average as a heatmap per frame with a colour bar, a frame slider, a
 * unit picker when the bundle carries several units (it opens at the plotted one), and the peak pixel's time course
 * with axes (frames relative to the spike, STA value), the peak frame and the shown frame marked.
 *
 * The peak is the kernel's `staPeak` sent in the payload (the same the units table's `sta_peak_*` columns hold);
 * only payloads of older kernels, which carry none, fall back to the pixel farthest from the mean.
 *
 * Keys: the viewer takes focus when clicked and handles ←/→ (frame), Home/End, ↑/↓ (unit) itself, stopping their
 * propagation so JupyterLab's notebook shortcuts (move between cells, fold headings) never see them.
 */
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { h, svg } from "../dom";
import { readStaPayload, staSelectedIndex, type StaPayload } from "../protocol";
import { decodeBase64, HdmeaRenderer } from "./renderer-base";
import { drawTimeCourse, formatValue, moveMarker, TRACE_HEIGHT, TRACE_WIDTH } from "./sta-axes";

export const STA_CLASS = "hdmea-StaViewer";

/** One unit's frames with the statistics the colour scale and the initial frame need. */
export interface StaUnitFrames {
  unitId: string;
  values: Float32Array;
  /** Mean of the finite values: the colour scale's centre. */
  mean: number;
  /** Half-width of the colour scale: |peak value − mean| (0 for a flat STA). */
  spread: number;
  peak: { frame: number; row: number; col: number };
  /** Where the peak came from: the kernel's robust `staPeak`, or the plain maximum of an older payload. */
  peakSource: "kernel" | "maximum";
}

/** Decodes one unit and takes its peak from the payload (or, for older payloads, the value farthest from the mean). */
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
  const sent = unit.peak;
  if (sent && sent.frame < frames && sent.row < rows && sent.col < cols) {
    const value = values[sent.frame * rows * cols + sent.row * cols + sent.col];
    const spread = Number.isFinite(value) ? Math.abs(value - mean) : 0;
    return { unitId: unit.unitId, values, mean, spread, peak: { frame: sent.frame, row: sent.row, col: sent.col }, peakSource: "kernel" };
  }
  let spread = 0;
  let at = 0;
  values.forEach((v, i) => {
    const d = Number.isFinite(v) ? Math.abs(v - mean) : 0;
    if (d > spread) (spread = d), (at = i);
  });
  const frame = Math.floor(at / (rows * cols));
  const rest = at - frame * rows * cols;
  return { unitId: unit.unitId, values, mean, spread, peak: { frame, row: Math.floor(rest / cols), col: rest % cols }, peakSource: "maximum" };
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

/** What a key does in the viewer, or null for keys it leaves alone. */
export function staKeyAction(key: string): { frame: number | "first" | "last" } | { unit: number } | null {
  switch (key) {
    case "ArrowLeft":
      return { frame: -1 };
    case "ArrowRight":
      return { frame: 1 };
    case "Home":
      return { frame: "first" };
    case "End":
      return { frame: "last" };
    case "ArrowUp":
      return { unit: -1 };
    case "ArrowDown":
      return { unit: 1 };
    default:
      return null;
  }
}

export class StaViewer extends HdmeaRenderer<StaPayload> {
  private payload: StaPayload | null = null;
  private unit: StaUnitFrames | null = null;
  private unitIndex = 0;
  private frame = 0;
  private pixels: HTMLElement[] = [];
  private slider: HTMLInputElement | null = null;
  private picker: HTMLSelectElement | null = null;
  private frameLabel: HTMLElement | null = null;
  private colourBar: HTMLElement | null = null;
  private trace: SVGSVGElement | null = null;

  constructor(options: IRenderMime.IRendererOptions) {
    super(options, STA_CLASS);
    // Focusable, so its keys come here (and stop here) instead of reaching the notebook.
    this.node.tabIndex = 0;
    this.node.setAttribute("aria-label", "STA viewer: ← → frame, ↑ ↓ unit");
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
    this.picker = null;
    if (payload.units.length > 1) {
      const picker = h("select", { className: "hdmea-StaViewer-unit", attrs: { "aria-label": "Unit" } });
      payload.units.forEach((unit, index) => picker.appendChild(h("option", { text: unit.unitId, attrs: { value: String(index) } })));
      picker.value = String(selected);
      picker.addEventListener("change", () => this.showUnit(Number(picker.value)), { signal });
      controls.appendChild(h("label", { text: "unit " }, [picker]));
      this.picker = picker;
    }
    this.slider = h("input", {
      className: "hdmea-StaViewer-frame",
      attrs: { type: "range", min: "0", max: String(frames - 1), step: "1", "aria-label": "Frame" },
    });
    this.slider.addEventListener("input", () => this.showFrame(Number(this.slider!.value)), { signal });
    this.frameLabel = h("span", { className: "hdmea-StaViewer-frameLabel" });
    controls.append(
      h("label", { text: "frame " }, [this.slider]),
      this.frameLabel,
      h("span", { className: "hdmea-StaViewer-hint hdmea-muted", text: "click, then ← → frame · ↑ ↓ unit" }),
    );

    const grid = h("div", { className: "hdmea-StaViewer-grid" });
    grid.style.gridTemplateColumns = `repeat(${cols}, 1fr)`;
    grid.style.aspectRatio = `${cols} / ${rows}`;
    this.pixels = [];
    for (let i = 0; i < rows * cols; i++) {
      const pixel = h("div", { className: "hdmea-StaViewer-pixel" });
      this.pixels.push(pixel);
      grid.appendChild(pixel);
    }
    this.colourBar = h("div", { className: "hdmea-StaViewer-colourBar" });
    this.trace = svg("svg", { class: "hdmea-StaViewer-trace", viewBox: `0 0 ${TRACE_WIDTH} ${TRACE_HEIGHT}`, role: "img" });

    this.node.append(
      h("div", { className: "hdmea-StaViewer-title", text: payload.title }),
      controls,
      h("div", { className: "hdmea-StaViewer-body" }, [grid, this.colourBar, this.trace]),
    );
    // Clicking anywhere but a control focuses the viewer, so the arrow keys move frames from then on.
    this.node.addEventListener(
      "pointerdown",
      (event) => {
        if (!(event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement)) this.node.focus();
      },
      { signal },
    );
    this.node.addEventListener("keydown", (event) => this.onKeydown(event), { signal });
    this.showUnit(selected);
  }

  private onKeydown(event: KeyboardEvent): void {
    const action = staKeyAction(event.key);
    if (action === null || event.altKey || event.ctrlKey || event.metaKey) return;
    // JupyterLab listens for keys on the document (bubbling): stopping here keeps them from moving cells.
    event.stopPropagation();
    // The slider and the picker move themselves on arrow keys (and fire input/change); everything else is ours.
    const target = event.target;
    if (target === this.slider && "frame" in action) return;
    if (target === this.picker && "unit" in action) return;
    event.preventDefault();
    if ("frame" in action) {
      const last = (this.payload?.shape[0] ?? 1) - 1;
      this.showFrame(action.frame === "first" ? 0 : action.frame === "last" ? last : this.frame + action.frame);
    } else if (this.payload && this.payload.units.length > 1) {
      const count = this.payload.units.length;
      this.showUnit((this.unitIndex + action.unit + count) % count);
    }
  }

  /** Shows unit `index` of the payload at its peak frame. */
  showUnit(index: number): void {
    if (!this.payload) return;
    this.unitIndex = index;
    this.unit = unitFrames(this.payload, index);
    if (this.picker) this.picker.value = String(index);
    this.drawColourBar();
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
    if (this.trace) moveMarker(this.trace, this.frame, frames);
  }

  private drawColourBar(): void {
    const unit = this.unit;
    const bar = this.colourBar;
    if (!unit || !bar) return;
    while (bar.firstChild) bar.removeChild(bar.firstChild);
    const { mean, spread } = unit;
    const stops = [1, 0.5, 0, -0.5, -1].map((t) => staColour(mean + t * spread, mean, spread));
    const gradient = h("div", { className: "hdmea-StaViewer-colourScale" });
    gradient.style.background = `linear-gradient(to bottom, ${stops.join(", ")})`;
    const labels = h("div", { className: "hdmea-StaViewer-colourLabels" }, [
      h("span", { text: `${formatValue(mean + spread)} ON`, attrs: { "data-hdmea-colour": "high" } }),
      h("span", { text: `${formatValue(mean)} mean`, attrs: { "data-hdmea-colour": "mean" } }),
      h("span", { text: `${formatValue(mean - spread)} OFF`, attrs: { "data-hdmea-colour": "low" } }),
    ]);
    bar.title = "STA value: red above the STA's mean (ON), blue below (OFF); the ends are the mean ± the peak's deviation";
    bar.append(h("div", { className: "hdmea-StaViewer-colourTitle", text: "STA value" }), h("div", { className: "hdmea-StaViewer-colourBody" }, [gradient, labels]));
  }

  private drawTrace(): void {
    const unit = this.unit;
    const payload = this.payload;
    if (!unit || !payload || !this.trace) return;
    const [frames, rows, cols] = payload.shape;
    const pixel = unit.peak.row * cols + unit.peak.col;
    const trace = Float32Array.from({ length: frames }, (_, f) => unit.values[f * rows * cols + pixel]);
    drawTimeCourse(this.trace, {
      trace,
      firstFrameOffset: payload.firstFrameOffset,
      peakFrame: unit.peak.frame,
      title: `${unit.unitId}: peak pixel (row ${unit.peak.row}, col ${unit.peak.col}) over time`,
    });
  }
}
