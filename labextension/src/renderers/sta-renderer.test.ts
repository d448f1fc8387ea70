import { describe, expect, it } from "vitest";
import { staColour, StaViewer, unitFrames } from "./sta-renderer";
import { mimeModel, STA_MIME, staPayload } from "../test-support/fixtures";

function renderer(): StaViewer {
  return new StaViewer({ mimeType: STA_MIME, sanitizer: { sanitize: (s: string) => s }, resolver: null, linkHandler: null, latexTypesetter: null });
}

describe("StaViewer", () => {
  it("finds each unit's peak frame and pixel", () => {
    const payload = staPayload(2);
    expect(unitFrames(payload, 0).peak).toEqual({ frame: 17, row: 4, col: 7 });
    expect(unitFrames(payload, 1).peak).toEqual({ frame: 16, row: 5, col: 7 });
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
    expect(viewer.node.querySelector(".hdmea-StaViewer-marker")?.getAttribute("x1")).toBe(((2 / 19) * 240).toFixed(1));
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
