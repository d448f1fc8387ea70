import { describe, expect, it } from "vitest";
import { staColour, staKeyAction, StaViewer, unitFrames } from "./sta-renderer";
import { frameTicks, frameX } from "./sta-axes";
import { mimeModel, STA_MIME, staPayload } from "../test-support/fixtures";

function renderer(): StaViewer {
  return new StaViewer({ mimeType: STA_MIME, sanitizer: { sanitize: (s: string) => s }, resolver: null, linkHandler: null, latexTypesetter: null });
}

describe("StaViewer", () => {
  it("takes each unit's peak from the kernel, and falls back to the maximum for older payloads", () => {
    const sent = staPayload(2, 20, true);
    expect(unitFrames(sent, 0)).toMatchObject({ peak: { frame: 16, row: 4, col: 6 }, peakSource: "kernel" });
    expect(unitFrames(sent, 1)).toMatchObject({ peak: { frame: 15, row: 5, col: 6 }, peakSource: "kernel" });
    const old = staPayload(2);
    expect(unitFrames(old, 0)).toMatchObject({ peak: { frame: 17, row: 4, col: 7 }, peakSource: "maximum" });
    expect(unitFrames(old, 1)).toMatchObject({ peak: { frame: 16, row: 5, col: 7 }, peakSource: "maximum" });
  });

  it("opens at the kernel's peak frame and marks the kernel's peak pixel", async () => {
    const viewer = renderer();
    await viewer.renderModel(mimeModel({ [STA_MIME]: staPayload(1, 20, true) }));
    expect(viewer.currentFrame).toBe(16);
    expect(viewer.node.querySelector(".hdmea-StaViewer-frameLabel")?.textContent).toBe("-4 (relative to spike), peak");
    const peak = viewer.node.querySelector(".hdmea-mod-peak");
    expect([...viewer.node.querySelectorAll(".hdmea-StaViewer-pixel")].indexOf(peak!)).toBe(4 * 15 + 6);
  });

  it("has a colour bar with the values of its ends and a time course with labelled axes", async () => {
    const viewer = renderer();
    await viewer.renderModel(mimeModel({ [STA_MIME]: staPayload(1, 20, true) }));
    const bar = viewer.node.querySelector(".hdmea-StaViewer-colourBar")!;
    expect(bar.querySelector(".hdmea-StaViewer-colourTitle")?.textContent).toBe("STA value");
    expect(bar.querySelector('[data-hdmea-colour="high"]')?.textContent).toMatch(/^0\.\d+ ON$/);
    expect(bar.querySelector('[data-hdmea-colour="low"]')?.textContent).toMatch(/ OFF$/);
    expect(viewer.node.querySelector(".hdmea-StaViewer-xLabel")?.textContent).toBe("frames relative to spike (0 = spike)");
    expect(viewer.node.querySelector(".hdmea-StaViewer-yLabel")?.textContent).toBe("STA value");
    const ticks = [...viewer.node.querySelectorAll(".hdmea-StaViewer-xTick")].map((t) => t.textContent);
    expect(ticks).toEqual(["-20", "-15", "-10", "-5", "0"].filter((t) => Number(t) <= -1));
    expect(viewer.node.querySelectorAll(".hdmea-StaViewer-yTick")).toHaveLength(3);
  });

  it("chooses round frame ticks with the spike at 0", () => {
    expect(frameTicks(-60, 0)).toEqual([-60, -50, -40, -30, -20, -10, 0]);
    expect(frameTicks(-45, -1)).toEqual([-40, -30, -20, -10]);
    expect(frameTicks(-12, 2)).toEqual([-10, -5, 0]);
    expect(frameTicks(-3, 0)).toEqual([-3, -2, -1, 0]);
  });

  it("moves frames and units with the keys, and keeps them from JupyterLab", async () => {
    const viewer = renderer();
    document.body.appendChild(viewer.node);
    const reachedDocument: string[] = [];
    const listener = (event: KeyboardEvent) => reachedDocument.push(event.key);
    document.addEventListener("keydown", listener);
    try {
      await viewer.renderModel(mimeModel({ [STA_MIME]: staPayload(3, 20, true) }));
      const press = (key: string, target: Element = viewer.node) => {
        const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true });
        target.dispatchEvent(event);
        return event;
      };
      expect(viewer.node.tabIndex).toBe(0);
      const left = press("ArrowLeft");
      expect(viewer.currentFrame).toBe(15);
      expect(left.defaultPrevented).toBe(true);
      press("ArrowRight");
      press("ArrowRight");
      expect(viewer.currentFrame).toBe(17);
      press("Home");
      expect(viewer.currentFrame).toBe(0);
      press("End");
      expect(viewer.currentFrame).toBe(19);
      press("ArrowDown");
      expect(viewer.currentUnitId).toBe("unit_002");
      expect(viewer.node.querySelector<HTMLSelectElement>(".hdmea-StaViewer-unit")!.value).toBe("1");
      press("ArrowUp");
      press("ArrowUp");
      expect(viewer.currentUnitId).toBe("unit_003");
      // On the slider the browser moves it (an input event follows); the key still stops at the viewer.
      const onSlider = press("ArrowLeft", viewer.node.querySelector(".hdmea-StaViewer-frame")!);
      expect(onSlider.defaultPrevented).toBe(false);
      expect(reachedDocument).toEqual([]);
      press("a");
      expect(reachedDocument).toEqual(["a"]);
    } finally {
      document.removeEventListener("keydown", listener);
      viewer.node.remove();
    }
    expect(staKeyAction("Enter")).toBeNull();
  });

  it("opens at the peak frame with a 15 × 15 heatmap and the peak pixel's trace", async () => {
    const viewer = renderer();
    await viewer.renderModel(mimeModel({ [STA_MIME]: staPayload(1), "text/plain": "STA" }));
    expect(viewer.node.querySelectorAll(".hdmea-StaViewer-pixel")).toHaveLength(225);
    expect(viewer.currentFrame).toBe(17);
    expect(viewer.node.querySelector<HTMLInputElement>(".hdmea-StaViewer-frame")!.value).toBe("17");
    expect(viewer.node.querySelector(".hdmea-StaViewer-frameLabel")?.textContent).toBe("-3 (relative to spike), peak");
    const peak = viewer.node.querySelector(".hdmea-mod-peak");
    expect([...viewer.node.querySelectorAll(".hdmea-StaViewer-pixel")].indexOf(peak!)).toBe(4 * 15 + 7);
    expect(viewer.node.querySelector(".hdmea-StaViewer-line")?.getAttribute("points")?.split(" ")).toHaveLength(20);
    expect(viewer.node.querySelector(".hdmea-StaViewer-colourBar")).not.toBeNull();
    expect(viewer.node.querySelector(".hdmea-StaViewer-unit")).toBeNull(); // one unit: no picker
  });

  it("moves through frames with the slider", async () => {
    const viewer = renderer();
    await viewer.renderModel(mimeModel({ [STA_MIME]: JSON.stringify(staPayload(1)) }));
    const slider = viewer.node.querySelector<HTMLInputElement>(".hdmea-StaViewer-frame")!;
    const peakPixel = viewer.node.querySelectorAll<HTMLElement>(".hdmea-StaViewer-pixel")[4 * 15 + 7];
    const atPeak = peakPixel.style.background;
    slider.value = "2";
    slider.dispatchEvent(new Event("input"));
    expect(viewer.currentFrame).toBe(2);
    expect(viewer.node.querySelector(".hdmea-StaViewer-frameLabel")?.textContent).toBe("-18 (relative to spike)");
    expect(viewer.node.querySelector(".hdmea-mod-peak")).toBeNull();
    expect(peakPixel.style.background).not.toBe(atPeak);
    expect(viewer.node.querySelector(".hdmea-StaViewer-marker")?.getAttribute("x1")).toBe(frameX(2, 20).toFixed(1));
  });

  it("switches units with the picker and jumps to that unit's peak", async () => {
    const viewer = renderer();
    await viewer.renderModel(mimeModel({ [STA_MIME]: staPayload(3) }));
    const picker = viewer.node.querySelector<HTMLSelectElement>(".hdmea-StaViewer-unit")!;
    expect([...picker.options].map((o) => o.textContent)).toEqual(["unit_001", "unit_002", "unit_003"]);
    picker.value = "1";
    picker.dispatchEvent(new Event("change"));
    expect(viewer.currentUnitId).toBe("unit_002");
    expect(viewer.currentFrame).toBe(16);
    const peak = viewer.node.querySelector(".hdmea-mod-peak");
    expect([...viewer.node.querySelectorAll(".hdmea-StaViewer-pixel")].indexOf(peak!)).toBe(5 * 15 + 7);
  });

  it("opens at the unit the chart was plotted for", async () => {
    const viewer = renderer();
    await viewer.renderModel(mimeModel({ [STA_MIME]: { ...staPayload(3), selectedUnitId: "unit_003" } }));
    expect(viewer.currentUnitId).toBe("unit_003");
    expect(viewer.node.querySelector<HTMLSelectElement>(".hdmea-StaViewer-unit")!.value).toBe("2");
    expect(viewer.currentFrame).toBe(15);
  });

  it("colours above the mean red, below blue, the mean pale", () => {
    expect(staColour(1, 0, 1)).toBe("rgb(178, 24, 43)");
    expect(staColour(-1, 0, 1)).toBe("rgb(33, 102, 172)");
    expect(staColour(0, 0, 1)).toBe("rgb(247, 247, 247)");
    expect(staColour(Number.NaN, 0, 1)).toBe("transparent");
  });

  it("reports an STA whose data does not match its shape", async () => {
    const viewer = renderer();
    const payload = staPayload(1);
    await viewer.renderModel(mimeModel({ [STA_MIME]: { ...payload, shape: [21, 15, 15] } }));
    expect(viewer.node.textContent).toContain("expected 18900");
  });
});
