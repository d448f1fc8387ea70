import { describe, expect, it } from "vitest";
import { ProgressRenderer } from "./progress-renderer";
import { mimeModel, PROGRESS_MIME, progressPayload } from "../test-support/fixtures";

function renderer(): ProgressRenderer {
  return new ProgressRenderer({ mimeType: PROGRESS_MIME, sanitizer: { sanitize: (s: string) => s }, resolver: null, linkHandler: null, latexTypesetter: null });
}

const fillWidth = (r: ProgressRenderer) => r.node.querySelector<HTMLElement>(".hdmea-Progress-fill")!.style.width;

describe("ProgressRenderer", () => {
  it("shows label, fraction and counts, and updates in place", async () => {
    const bar = renderer();
    await bar.renderModel(mimeModel({ [PROGRESS_MIME]: progressPayload(), "text/plain": "eimage STA 25%" }));
    expect(bar.node.querySelector(".hdmea-Progress-label")?.textContent).toBe("eimage STA");
    expect(fillWidth(bar)).toBe("25%");
    expect(bar.node.querySelector("[role=progressbar]")?.getAttribute("aria-valuenow")).toBe("25");
    expect(bar.node.querySelector(".hdmea-Progress-status")?.textContent).toBe("30 / 120 (25%)");
    await bar.renderModel(mimeModel({ [PROGRESS_MIME]: JSON.stringify(progressPayload({ done: 120, fraction: 1, state: "done" })) }));
    expect(bar.node.querySelectorAll(".hdmea-Progress-bar")).toHaveLength(1);
    expect(fillWidth(bar)).toBe("100%");
    expect(bar.node.classList.contains("hdmea-mod-finished")).toBe(true);
    expect(bar.node.querySelector(".hdmea-Progress-status")?.textContent).toBe("120 / 120 (100%) done");
  });

  it("shows an unknown total, the time left and a failure", async () => {
    const bar = renderer();
    const running = progressPayload({ state: "running", total: null, fraction: null, done: 7, etaMs: null, message: "reading chunk 7" });
    await bar.renderModel(mimeModel({ [PROGRESS_MIME]: running }));
    expect(bar.node.querySelector(".hdmea-mod-indeterminate")).not.toBeNull();
    expect(bar.node.querySelector(".hdmea-Progress-status")?.textContent).toBe("7");
    expect(bar.node.textContent).toContain("reading chunk 7");
    await bar.renderModel(mimeModel({ [PROGRESS_MIME]: progressPayload({ state: "running", etaMs: 4200 }) }));
    expect(bar.node.querySelector(".hdmea-Progress-status")?.textContent).toBe("30 / 120 (25%), 4.20 s left");
    await bar.renderModel(mimeModel({ [PROGRESS_MIME]: progressPayload({ state: "failed" }) }));
    expect(bar.node.classList.contains("hdmea-mod-failed")).toBe(true);
    expect(fillWidth(bar)).toBe("25%");
  });
});
