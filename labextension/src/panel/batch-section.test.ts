/** The panel's Batch section: the store takes batch payloads (newest seq wins), and failed rows open their error. */
import { describe, expect, it } from "vitest";
import type * as nbformat from "@jupyterlab/nbformat";
import { BATCH_MIME, type BatchPayload } from "hdmea/dist/display/protocol";
import { displayDataMsg, sessionBundle, sessionPayload, streamMsg, updateDisplayDataMsg } from "../test-support/fixtures";
import { BatchStore } from "./batch-store";
import { SessionPanel } from "./panel";
import { SessionStore } from "./session-store";

function batchPayload(overrides: Partial<BatchPayload> = {}): BatchPayload {
  return {
    schema: 1,
    batchId: "b1",
    kind: "batch",
    name: "demo",
    activity: "stage 1 + 2 (local, 2 workers)",
    state: "running",
    counts: { queued: 1, running: 1, done: 1, skipped: 0, failed: 1, missing: 0, stale: 0 },
    total: 4,
    items: [
      { index: 0, id: "rec-00", state: "done", detail: "", unitCount: 3 },
      { index: 1, id: "rec-01", state: "failed", detail: "Recording rec-01: step 'add_section_time' did not complete: playlist missing", unitCount: null },
      { index: 2, id: "rec-02", state: "running", detail: "", unitCount: null },
      { index: 3, id: "rec-03", state: "queued", detail: "", unitCount: null },
    ],
    itemsOmitted: 0,
    seq: 10,
    updatedAt: "2026-01-01T00:00:00.000000+00:00",
    ...overrides,
  };
}

const bundle = (payload: BatchPayload | string) => ({ [BATCH_MIME]: payload, "text/plain": "batch" });

describe("BatchStore", () => {
  it("takes batch payloads from display and update messages, drops stale ones and other traffic", () => {
    const store = new BatchStore();
    const changes: (string | null)[] = [];
    store.changed.connect((_s, id) => changes.push(id));
    expect(store.handleMessage(displayDataMsg(bundle(batchPayload()), "hdmea-batch-b1-aa"))).toBe(true);
    expect(store.handleMessage(updateDisplayDataMsg(bundle(batchPayload({ seq: 9, state: "done" })), "hdmea-batch-b1-aa"))).toBe(false);
    expect(store.handleMessage(updateDisplayDataMsg(bundle(JSON.stringify(batchPayload({ seq: 11, state: "done" }))), "hdmea-batch-b1-aa"))).toBe(true);
    expect(store.handleMessage(displayDataMsg(sessionBundle(sessionPayload())))).toBe(false);
    expect(store.handleMessage(streamMsg("hello"))).toBe(false);
    expect(store.handleMessage(displayDataMsg(bundle({ ...batchPayload(), items: [{ index: 0 }] } as unknown as BatchPayload)))).toBe(false);
    expect(store.batches.map((b) => [b.batchId, b.state])).toEqual([["b1", "done"]]);
    store.apply(batchPayload({ batchId: "s1", kind: "sweep", seq: 20 }));
    expect(store.batches.map((b) => b.batchId)).toEqual(["s1", "b1"]);
    store.reset();
    expect(store.batches).toEqual([]);
    expect(changes).toEqual(["b1", "b1", "s1", null]);
  });

  it("seeds itself from the outputs saved in the notebook", () => {
    const notebook = {
      cells: [{ cell_type: "code", source: "", metadata: {}, execution_count: 1, outputs: [{ output_type: "display_data", metadata: {}, data: bundle(batchPayload()) }] }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    } as unknown as nbformat.INotebookContent;
    const store = new BatchStore();
    expect(store.seedFromNotebook(notebook)).toBe(1);
    expect(store.batches[0].name).toBe("demo");
  });
});

describe("the panel's Batch section", () => {
  it("lists every recording with its state and opens a failure's error on click", () => {
    const panel = new SessionPanel({ select: () => undefined, run: () => undefined });
    panel.model = new SessionStore();
    const batches = new BatchStore();
    panel.batchModel = batches;
    panel.render();
    expect(panel.node.querySelector('[data-hdmea-section="batch"]')).toBeNull();

    batches.apply(batchPayload());
    panel.render();
    const section = panel.node.querySelector('[data-hdmea-section="batch"]') as HTMLElement;
    expect(section.textContent).toContain("batch demo · running");
    expect(section.textContent).toContain("failed 1");
    const states = [...section.querySelectorAll("[data-hdmea-batch-item]")].map((row) => row.getAttribute("data-hdmea-state"));
    expect(states).toEqual(["done", "failed", "running", "queued"]);
    expect(section.querySelector('[data-hdmea-field="error"]')).toBeNull();

    (section.querySelector(".hdmea-BatchSection-failure") as HTMLButtonElement).click();
    panel.render();
    const error = panel.node.querySelector('[data-hdmea-field="error"]');
    expect(error?.textContent).toBe("Recording rec-01: step 'add_section_time' did not complete: playlist missing");
    expect(panel.node.querySelector(".hdmea-BatchSection-failure")?.getAttribute("aria-expanded")).toBe("true");

    (panel.node.querySelector(".hdmea-BatchSection-failure") as HTMLButtonElement).click();
    panel.render();
    expect(panel.node.querySelector('[data-hdmea-field="error"]')).toBeNull();
  });

  it("shows batches even before any session, and never turns payload text into markup", () => {
    const panel = new SessionPanel({ select: () => undefined, run: () => undefined });
    panel.model = new SessionStore();
    const batches = new BatchStore();
    panel.batchModel = batches;
    batches.apply(batchPayload({ name: "<img src=x onerror=alert(1)>" }));
    panel.render();
    expect(panel.node.textContent).toContain("No hdmea session");
    expect(panel.node.querySelector("img")).toBeNull();
    expect(panel.node.textContent).toContain("<img src=x onerror=alert(1)>");
  });
});
