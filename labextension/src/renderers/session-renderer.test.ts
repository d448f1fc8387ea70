import { describe, expect, it } from "vitest";
import { SessionCardRenderer } from "./session-renderer";
import { mimeModel, SESSION_MIME, sessionBundle, sessionPayload } from "../test-support/fixtures";

function renderer(): SessionCardRenderer {
  return new SessionCardRenderer({ mimeType: SESSION_MIME, sanitizer: { sanitize: (s: string) => s }, resolver: null, linkHandler: null, latexTypesetter: null });
}

function field(root: HTMLElement, name: string): string | null {
  return root.querySelector(`[data-hdmea-field="${name}"]`)?.textContent ?? null;
}

describe("SessionCardRenderer", () => {
  it("renders the session card from an object payload", async () => {
    const card = renderer();
    await card.renderModel(mimeModel(sessionBundle(sessionPayload({ saveState: "saved", hdf5Path: "/data/out/rec.h5" }))));
    expect(field(card.node, "dataset-id")).toBe("2025.04.10-11.12.57-Rec");
    expect(field(card.node, "save-state")).toBe("saved");
    expect(field(card.node, "hdf5-path")).toBe("/data/out/rec.h5");
    expect(field(card.node, "warning-count")).toBe("2");
    // Two step records, and mean_rate, completed without a record.
    expect(card.node.querySelectorAll("[data-hdmea-step]")).toHaveLength(3);
    expect(card.node.querySelector('[data-hdmea-step="compute_sta"] .hdmea-step-warnings')?.textContent).toBe("⚠ 1");
  });

  it("renders the same from JSON text, and re-renders in place on update", async () => {
    const card = renderer();
    await card.renderModel(mimeModel(sessionBundle(JSON.stringify(sessionPayload()))));
    expect(card.node.querySelectorAll("[data-hdmea-step]")).toHaveLength(3);
    await card.renderModel(mimeModel(sessionBundle(sessionPayload({ steps: [], completedSteps: [], warnings: [] }))));
    expect(card.node.querySelectorAll(".hdmea-SessionSummary")).toHaveLength(1);
    expect(card.node.textContent).toContain("No steps yet.");
    expect(field(card.node, "warning-count")).toBe("0");
  });

  it("falls back to the bundle's text/plain for a payload it cannot read", async () => {
    const card = renderer();
    await card.renderModel(mimeModel({ [SESSION_MIME]: { schema: 2 }, "text/plain": "PipelineSession(rec, 3 units)" }));
    expect(card.node.querySelector(".hdmea-SessionSummary")).toBeNull();
    expect(card.node.querySelector("pre")?.textContent).toBe("PipelineSession(rec, 3 units)");
  });
});
