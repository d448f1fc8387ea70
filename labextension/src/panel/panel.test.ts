import { describe, expect, it } from "vitest";
import { SessionPanel } from "./panel";
import { SessionStore } from "./session-store";
import type { SessionAction } from "./action-code";
import { displayDataMsg, sessionBundle, sessionPayload } from "../test-support/fixtures";

function field(root: HTMLElement, name: string): string | null {
  return root.querySelector(`[data-hdmea-field="${name}"]`)?.textContent ?? null;
}

function makePanel() {
  const requests: { selected: string[]; actions: SessionAction[] } = { selected: [], actions: [] };
  const panel = new SessionPanel({ select: (id) => requests.selected.push(id), run: (action) => requests.actions.push(action) });
  return { panel, requests };
}

describe("SessionPanel", () => {
  it("asks for a notebook, then for a session, then shows it", () => {
    const { panel } = makePanel();
    panel.render();
    expect(panel.node.textContent).toContain("Open a notebook");
    const store = new SessionStore();
    panel.model = store;
    panel.render();
    expect(panel.node.textContent).toContain("No hdmea session");
    expect(panel.node.querySelector("[data-hdmea-action]")).toBeNull();

    store.handleMessage(displayDataMsg(sessionBundle(sessionPayload({ seq: 2, warningsOmitted: 3 }))));
    panel.render();
    expect(field(panel.node, "dataset-id")).toBe("2025.04.10-11.12.57-Rec");
    expect(field(panel.node, "save-state")).toBe("deferred");
    expect(field(panel.node, "hdf5-path")).toBe("no file yet");
    expect(field(panel.node, "unit-count")).toBe("3");
    expect(field(panel.node, "memory")).toBe("3.00 MB");
    expect(panel.node.textContent).toContain("units 3.00 MB");
    expect(field(panel.node, "warning-count")).toBe("5");
    const steps = [...panel.node.querySelectorAll("[data-hdmea-step]")].map((row) => [
      row.getAttribute("data-hdmea-step"),
      row.querySelector(".hdmea-step-status")?.getAttribute("data-status"),
      row.querySelector(".hdmea-step-duration")?.textContent,
    ]);
    expect(steps).toEqual([
      ["load_recording", "completed", "1.23 s"],
      ["compute_sta", "completed", "87 ms"],
      ["mean_rate", "completed", "…"],
    ]);
    expect(panel.node.querySelector('[data-hdmea-step="compute_sta"] .hdmea-step-params')?.textContent).toBe('{"coverRange":[-60,0]}');
    const warnings = [...panel.node.querySelectorAll('[data-hdmea-field="warnings"] li')].map((li) => li.textContent);
    expect(warnings).toEqual(["… 3 older warnings", "unit_002: no spikes inside the stimulus", "overwrote output/x.h5"]);
  });

  it("re-renders when its model changes and stops following a model it dropped", async () => {
    const { panel } = makePanel();
    const first = new SessionStore();
    panel.model = first;
    first.handleMessage(displayDataMsg(sessionBundle(sessionPayload({ seq: 1 }))));
    await new Promise((resolve) => requestAnimationFrame(resolve)); // Lumino's update runs on the next frame
    expect(field(panel.node, "save-state")).toBe("deferred");

    const second = new SessionStore();
    panel.model = second;
    first.handleMessage(displayDataMsg(sessionBundle(sessionPayload({ seq: 2, saveState: "saved", hdf5Path: "/x.h5" }))));
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(panel.node.textContent).toContain("No hdmea session");
    first.reset("test");
    second.reset("test");
  });

  it("offers a selector with several sessions and forwards choices and actions as requests", () => {
    const { panel, requests } = makePanel();
    const store = new SessionStore();
    store.handleMessage(displayDataMsg(sessionBundle(sessionPayload({ sessionId: "one", datasetId: "A" }))));
    panel.model = store;
    panel.render();
    expect(panel.node.querySelector("select")).toBeNull();
    store.handleMessage(displayDataMsg(sessionBundle(sessionPayload({ sessionId: "two", datasetId: "B" }))));
    panel.render();
    const select = panel.node.querySelector("select")!;
    expect([...select.options].map((o) => [o.value, o.selected])).toEqual([
      ["one", false],
      ["two", true],
    ]);
    select.value = "one";
    select.dispatchEvent(new Event("change"));
    expect(requests.selected).toEqual(["one"]);
    expect(store.selectedId).toBe("two"); // the panel only asks; the plugin changes the store
    panel.node.querySelector<HTMLButtonElement>('[data-hdmea-action="save"]')!.click();
    panel.node.querySelector<HTMLButtonElement>('[data-hdmea-action="checkpoint"]')!.click();
    expect(requests.actions).toEqual(["save", "checkpoint"]);
  });

  it("says when the session shown comes from saved outputs rather than the kernel", () => {
    const { panel } = makePanel();
    const store = new SessionStore();
    store.applyPayload(sessionPayload({ seq: 1 }), "saved-output");
    panel.model = store;
    panel.render();
    expect(field(panel.node, "origin")).toContain("saved outputs");
    store.applyPayload(sessionPayload({ seq: 2 }));
    panel.render();
    expect(field(panel.node, "origin")).toBeNull();
  });

  it("never turns payload text into markup", () => {
    const { panel } = makePanel();
    const store = new SessionStore();
    store.applyPayload(sessionPayload({ datasetId: '<img src=x onerror="alert(1)">', warnings: ["<b>bold</b>"] }));
    panel.model = store;
    panel.render();
    expect(panel.node.querySelector("img")).toBeNull();
    expect(panel.node.querySelector("b")).toBeNull();
    expect(field(panel.node, "dataset-id")).toBe('<img src=x onerror="alert(1)">');
  });
});
