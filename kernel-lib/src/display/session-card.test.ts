import { afterEach, describe, expect, it } from "vitest";
import { PipelineSession } from "../session/session";
import { recordingLogger } from "../session/logger";
import { HTML_MIME, JUPYTER_DISPLAY, PLAIN_MIME, SESSION_BUNDLE_MAX_BYTES, SESSION_MIME, type SessionBundle } from "./protocol";
import { flushSessionCard, sessionBundle, sessionDisplayable, showSession, type SessionCard } from "./session-card";
import { RecordingSink } from "./writer";

function newSession(datasetId = "2025.04.10-11.12.57-Rec"): PipelineSession {
  return new PipelineSession({ datasetId, logger: recordingLogger() });
}

function addUnits(session: PipelineSession, count: number, spikesPerUnit: number): void {
  const units: Record<string, { spike_times: Float64Array; row: number; col: number }> = {};
  for (let i = 0; i < count; i++) {
    const spikes = new Float64Array(spikesPerUnit);
    for (let j = 0; j < spikesPerUnit; j++) spikes[j] = j * 137 + i;
    units[`unit_${String(i + 1).padStart(4, "0")}`] = { spike_times: spikes, row: i % 65, col: Math.floor(i / 65) };
  }
  session.addUnits(units);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cards: SessionCard[] = [];
afterEach(() => {
  for (const card of cards.splice(0)) card.close();
});

describe("sessionBundle", () => {
  it("carries the session payload, an escaped HTML table and one line of text", () => {
    const session = newSession();
    addUnits(session, 3, 10);
    const run = session.beginStep("load_recording", { cmcrPath: "x.cmcr" });
    run.warn("unit <b>7</b> & friends have no spikes");
    run.complete();
    const bundle = sessionBundle(session);
    expect(Object.keys(bundle).sort()).toEqual([HTML_MIME, PLAIN_MIME, SESSION_MIME].sort());
    const payload = bundle[SESSION_MIME];
    expect(payload).toMatchObject({
      schema: 1,
      sessionId: session.sessionId,
      datasetId: "2025.04.10-11.12.57-Rec",
      saveState: "deferred",
      hdf5Path: null,
      unitCount: 3,
      completedSteps: ["load_recording"],
      warnings: ["unit <b>7</b> & friends have no spikes"],
      warningsOmitted: 0,
      stepsOmitted: 0,
    });
    expect(payload.memory.bytes).toBe(3 * 10 * 8);
    expect(payload.memory.breakdown.units).toBe(3 * 10 * 8);
    expect(payload.steps).toHaveLength(1);
    expect(payload.steps[0]).toMatchObject({
      name: "load_recording",
      status: "completed",
      params: { cmcrPath: "x.cmcr" },
      warnings: ["unit <b>7</b> & friends have no spikes"],
      warningsOmitted: 0,
    });
    const html = bundle[HTML_MIME];
    expect(html).toContain("unit &lt;b&gt;7&lt;/b&gt; &amp; friends");
    expect(html).not.toMatch(/<script|<b>|on\w+=/i);
    expect(bundle[PLAIN_MIME]).not.toContain("\n");
    expect(bundle[PLAIN_MIME]).toContain("3 units");
    // Plain JSON: survives a trip through a Jupyter message unchanged.
    expect(JSON.parse(JSON.stringify(bundle))).toEqual(bundle);
  });

  it("stays within 64 KB with 1 000 units, 200 long warnings and 300 steps, and says what it left out", () => {
    const session = newSession();
    addUnits(session, 1000, 50);
    for (let i = 0; i < 300; i++) session.beginStep(`step_${i}`, { coverRange: [-60, 0], note: "p".repeat(500) }).complete();
    for (let i = 0; i < 200; i++) session.addWarning(`warning ${i}: ${"x".repeat(1000)} <tag>`);
    const bundle = sessionBundle(session);
    const bytes = Buffer.byteLength(JSON.stringify(bundle), "utf8");
    expect(bytes).toBeLessThanOrEqual(SESSION_BUNDLE_MAX_BYTES);
    const payload = bundle[SESSION_MIME];
    expect(payload.unitCount).toBe(1000);
    expect(payload.warnings.length + payload.warningsOmitted).toBe(200);
    expect(payload.warningsOmitted).toBeGreaterThan(0);
    expect(payload.warnings[payload.warnings.length - 1]).toMatch(/^warning 199: /);
    expect(payload.steps.length + payload.stepsOmitted).toBe(300);
    expect(payload.steps[payload.steps.length - 1].name).toBe("step_299");
    expect(bundle[HTML_MIME]).toMatch(/earlier warnings not shown/);
    expect(bundle[PLAIN_MIME]).toContain("200 warnings");
  });

  it("summarises large step parameters and caps each step's warnings", () => {
    const session = newSession();
    const run = session.beginStep("compute_sta", {
      coverRange: [-60, 0],
      unitIds: Array.from({ length: 500 }, (_, i) => `unit_${i}`),
      note: "n".repeat(5000),
      nested: { a: { b: { c: { d: 1 } } } },
    });
    for (let i = 0; i < 30; i++) run.warn(`warning ${i}`);
    run.complete();
    const step = sessionBundle(session)[SESSION_MIME].steps[0];
    expect(step.params.coverRange).toEqual([-60, 0]);
    // The record keeps 100 ids; the card keeps the first few and counts the rest.
    const ids = step.params.unitIds as string[];
    expect(ids.slice(0, -1)).toEqual(Array.from({ length: ids.length - 1 }, (_, i) => `unit_${i}`));
    expect(ids[ids.length - 1]).toBe(`… ${100 - (ids.length - 1)} more`);
    expect(step.params.nested).toBeDefined();
    expect(typeof step.params.note === "string" && step.params.note.length <= 400 && step.params.note.endsWith("…")).toBe(true);
    expect(JSON.stringify(step.params).length).toBeLessThanOrEqual(400);
    expect(step.warnings).toEqual(Array.from({ length: 10 }, (_, i) => `warning ${20 + i}`));
    expect(step.warningsOmitted).toBe(20);
  });

  it("shortens the lists further when a tighter cap asks for it", () => {
    const session = newSession();
    for (let i = 0; i < 100; i++) session.addWarning(`w${i} ${"y".repeat(300)}`);
    const bundle = sessionBundle(session, { maxBytes: 8 * 1024 });
    expect(Buffer.byteLength(JSON.stringify(bundle))).toBeLessThanOrEqual(8 * 1024);
    expect(bundle[SESSION_MIME].warningsOmitted).toBeGreaterThan(50);
  });

  it("has a growing seq", () => {
    const session = newSession();
    const seqs = [0, 1, 2, 3, 4].map(() => sessionBundle(session)[SESSION_MIME].seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
  });

  it("displays itself through Symbol.for('Jupyter.display')", () => {
    const session = newSession();
    const bundle = sessionDisplayable(session)[JUPYTER_DISPLAY]();
    expect(bundle[SESSION_MIME].sessionId).toBe(session.sessionId);
    expect(Object.keys(bundle)).toContain(HTML_MIME);
  });
});

describe("showSession", () => {
  function expectWholeBundle(bundle: SessionBundle | Record<string, unknown>): void {
    expect(Object.keys(bundle).sort()).toEqual([HTML_MIME, PLAIN_MIME, SESSION_MIME].sort());
  }

  it("shows the card once under hdmea-session-<id> and sends the whole bundle on every change", async () => {
    const session = newSession();
    const sink = new RecordingSink();
    const card = showSession(session, { writer: sink, minIntervalMs: 0 });
    cards.push(card);
    expect(card.displayId).toBe(`hdmea-session-${session.sessionId}`);
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]).toMatchObject({ type: "display_data", displayId: card.displayId });
    addUnits(session, 2, 5);
    session.addWarning("careful");
    session.markStepComplete("load_recording");
    await sleep(5);
    const updates = sink.messages.slice(1);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    for (const message of updates) {
      expect(message).toMatchObject({ type: "update_display_data", displayId: card.displayId });
      expectWholeBundle(message.data);
    }
    const last = sink.messages[sink.messages.length - 1].data as SessionBundle;
    expect(last[SESSION_MIME]).toMatchObject({ unitCount: 2, warnings: ["careful"], completedSteps: ["load_recording"] });
    const seqs = sink.messages.map((m) => (m.data as SessionBundle)[SESSION_MIME].seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
  });

  it("merges bursts of changes but never drops the final state", async () => {
    const session = newSession();
    const sink = new RecordingSink();
    cards.push(showSession(session, { writer: sink, minIntervalMs: 30 }));
    for (let i = 0; i < 200; i++) session.addWarning(`w${i}`);
    await sleep(80);
    const updates = sink.messages.filter((m) => m.type === "update_display_data");
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.length).toBeLessThan(10);
    const last = updates[updates.length - 1].data as SessionBundle;
    const payload = last[SESSION_MIME];
    expect(payload.warnings.length + payload.warningsOmitted).toBe(200);
    expect(payload.warnings[payload.warnings.length - 1]).toBe("w199");
  });

  it("sends step starts, step ends and saves at once, even inside the throttle interval", () => {
    const session = newSession();
    const sink = new RecordingSink();
    cards.push(showSession(session, { writer: sink, minIntervalMs: 10_000 }));
    const run = session.beginStep("compute_sta", {});
    run.warn("w");
    run.complete();
    const statuses = sink.messages
      .filter((m) => m.type === "update_display_data")
      .map((m) => (m.data as SessionBundle)[SESSION_MIME].steps.map((step) => step.status).join(","));
    expect(statuses).toEqual(["started", "completed"]);
    const last = sink.messages[sink.messages.length - 1].data as SessionBundle;
    expect(last[SESSION_MIME].warnings).toEqual(["w"]);
  });

  it("flushes a pending update on demand", () => {
    const session = newSession();
    const sink = new RecordingSink();
    cards.push(showSession(session, { writer: sink, minIntervalMs: 10_000 }));
    session.addWarning("first");
    session.addWarning("second");
    flushSessionCard(session);
    const last = sink.messages[sink.messages.length - 1].data as SessionBundle;
    expect(last[SESSION_MIME].warnings).toEqual(["first", "second"]);
  });

  it("subscribes once when shown twice, and stops after close", async () => {
    const session = newSession();
    const sink = new RecordingSink();
    const first = showSession(session, { writer: sink, minIntervalMs: 0 });
    const second = showSession(session, { writer: sink, minIntervalMs: 0 });
    expect(second).toBe(first);
    expect(sink.messages.map((m) => m.type)).toEqual(["display_data", "display_data"]);
    session.addWarning("once");
    expect(sink.messages.filter((m) => m.type === "update_display_data")).toHaveLength(1);
    first.close();
    session.addWarning("after close");
    await sleep(5);
    expect(sink.messages).toHaveLength(3);
  });
});
