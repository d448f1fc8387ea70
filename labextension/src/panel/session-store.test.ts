import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import type * as nbformat from "@jupyterlab/nbformat";
import { SessionStore, type SessionStoreChange } from "./session-store";
import {
  displayDataMsg,
  SESSION_MIME,
  sessionBundle,
  sessionPayload,
  statusMsg,
  streamMsg,
  updateDisplayDataMsg,
} from "../test-support/fixtures";

function recordChanges(store: SessionStore): SessionStoreChange[] {
  const changes: SessionStoreChange[] = [];
  store.stateChanged.connect((_sender, change) => changes.push(change));
  return changes;
}

describe("SessionStore message narrowing", () => {
  it("takes session payloads from display_data and update_display_data", () => {
    const store = new SessionStore();
    const changes = recordChanges(store);
    expect(store.handleMessage(displayDataMsg(sessionBundle(sessionPayload({ seq: 1 }))))).toBe(true);
    expect(store.selected?.steps).toHaveLength(2);
    const later = sessionPayload({ seq: 2, saveState: "saved", hdf5Path: "/data/out/rec.h5" });
    expect(store.handleMessage(updateDisplayDataMsg(sessionBundle(later)))).toBe(true);
    expect(store.selected?.saveState).toBe("saved");
    expect(store.selected?.hdf5Path).toBe("/data/out/rec.h5");
    expect(changes).toEqual([
      { kind: "payload", sessionId: "a1b2c3d4e5f6" },
      { kind: "payload", sessionId: "a1b2c3d4e5f6" },
    ]);
  });

  it("accepts the payload as JSON text (a kernel may send a string)", () => {
    const store = new SessionStore();
    expect(store.handleMessage(displayDataMsg(sessionBundle(JSON.stringify(sessionPayload({ datasetId: "as-text" })))))).toBe(true);
    expect(store.selected?.datasetId).toBe("as-text");
  });

  it("ignores other message types, other mimetypes and malformed payloads", () => {
    const store = new SessionStore();
    const changes = recordChanges(store);
    expect(store.handleMessage(streamMsg(JSON.stringify(sessionPayload())))).toBe(false);
    expect(store.handleMessage(statusMsg("busy"))).toBe(false);
    expect(store.handleMessage(displayDataMsg({ "text/plain": "hello" }))).toBe(false);
    expect(store.handleMessage(displayDataMsg({ "application/vnd.hdmea.session.v2+json": sessionPayload() }))).toBe(false);
    expect(store.handleMessage(displayDataMsg(sessionBundle({ ...sessionPayload(), schema: 2 } as never)))).toBe(false);
    expect(store.handleMessage(displayDataMsg({ [SESSION_MIME]: "{broken" }))).toBe(false);
    expect(store.sessions).toHaveLength(0);
    expect(changes).toHaveLength(0);
  });

  it("drops stale and repeated seq numbers, keeping the newest payload", () => {
    const store = new SessionStore();
    const changes = recordChanges(store);
    store.handleMessage(displayDataMsg(sessionBundle(sessionPayload({ seq: 10, unitCount: 10 }))));
    expect(store.handleMessage(updateDisplayDataMsg(sessionBundle(sessionPayload({ seq: 9, unitCount: 9 }))))).toBe(false);
    expect(store.handleMessage(updateDisplayDataMsg(sessionBundle(sessionPayload({ seq: 10, unitCount: 99 }))))).toBe(false);
    expect(store.selected?.unitCount).toBe(10);
    expect(store.staleCount).toBe(2);
    expect(store.handleMessage(updateDisplayDataMsg(sessionBundle(sessionPayload({ seq: 11, unitCount: 11 }))))).toBe(true);
    expect(store.selected?.unitCount).toBe(11);
    expect(changes).toHaveLength(2);
  });

  it("keeps several sessions apart, selects the newest one, and lets the user pick", () => {
    const store = new SessionStore();
    store.handleMessage(displayDataMsg(sessionBundle(sessionPayload({ sessionId: "first", datasetId: "A", seq: 5 }))));
    store.handleMessage(displayDataMsg(sessionBundle(sessionPayload({ sessionId: "second", datasetId: "B", seq: 1 })), "hdmea-session-second"));
    expect(store.sessions.map((s) => s.datasetId)).toEqual(["A", "B"]);
    expect(store.selected?.datasetId).toBe("B");
    const changes = recordChanges(store);
    store.select("first");
    store.select("first"); // no change, no signal
    store.select("unknown"); // ignored
    expect(store.selected?.datasetId).toBe("A");
    expect(changes).toEqual([{ kind: "selection", sessionId: "first" }]);
    // An update of the other session does not steal the selection.
    store.handleMessage(updateDisplayDataMsg(sessionBundle(sessionPayload({ sessionId: "second", datasetId: "B", seq: 2 })), "hdmea-session-second"));
    expect(store.selected?.datasetId).toBe("A");
    // seq is compared per session: seq 2 for "first" would be stale, for "second" it was new.
    expect(store.handleMessage(updateDisplayDataMsg(sessionBundle(sessionPayload({ sessionId: "first", seq: 2 }))))).toBe(false);
  });

  it("resets on request, once, and accepts any seq afterwards", () => {
    const store = new SessionStore();
    store.handleMessage(displayDataMsg(sessionBundle(sessionPayload({ seq: 50 }))));
    const changes = recordChanges(store);
    store.reset("kernel restarting");
    store.reset("kernel restarting"); // already empty: no second signal
    expect(store.sessions).toHaveLength(0);
    expect(store.selected).toBeNull();
    expect(changes).toEqual([{ kind: "reset", reason: "kernel restarting" }]);
    expect(store.handleMessage(displayDataMsg(sessionBundle(sessionPayload({ seq: 1 }))))).toBe(true);
  });
});

describe("SessionStore seeding from a saved notebook", () => {
  const notebook = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "test-support", "saved-session.ipynb"), "utf8"),
  ) as nbformat.INotebookContent;

  it("takes the newest payload of every session found in the outputs", () => {
    const store = new SessionStore();
    expect(store.seedFromNotebook(notebook)).toBe(3);
    expect(store.sessions.map((s) => [s.sessionId, s.seq, s.saveState])).toEqual([
      ["s-one", 3, "saved"],
      ["s-two", 1, "deferred"],
    ]);
    expect(store.isFromSavedOutput("s-one")).toBe(true);
    // Seeding then a live update: the live one wins only when it is newer.
    expect(store.handleMessage(updateDisplayDataMsg(sessionBundle(sessionPayload({ sessionId: "s-one", seq: 2 }))))).toBe(false);
    expect(store.handleMessage(updateDisplayDataMsg(sessionBundle(sessionPayload({ sessionId: "s-one", seq: 4 }))))).toBe(true);
    expect(store.isFromSavedOutput("s-one")).toBe(false);
    expect(store.isFromSavedOutput("s-two")).toBe(true);
  });

  it("finds nothing in a notebook without session outputs", () => {
    const store = new SessionStore();
    const plain: nbformat.INotebookContent = { ...notebook, cells: notebook.cells.filter((cell) => cell.cell_type === "markdown") };
    expect(store.seedFromNotebook(plain)).toBe(0);
    expect(store.selected).toBeNull();
  });

  it("keeps only the sessions still shown, moving the selection to the newest one left", () => {
    const store = new SessionStore();
    const changes: string[] = [];
    store.stateChanged.connect((_s, change) => changes.push(change.kind));
    store.applyPayload(sessionPayload({ sessionId: "a-1", seq: 1 }));
    store.applyPayload(sessionPayload({ sessionId: "b-1", seq: 1 }));
    store.applyPayload(sessionPayload({ sessionId: "c-1", seq: 1 }));
    store.select("b-1");
    expect(store.keepShown(new Set(["a-1", "b-1", "c-1"]))).toBe(0);
    expect(store.keepShown(new Set(["a-1", "c-1"]))).toBe(2 - 1);
    expect(store.sessions.map((s) => s.sessionId)).toEqual(["a-1", "c-1"]);
    expect(store.selectedId).toBe("c-1");
    expect(store.keepShown(new Set())).toBe(2);
    expect(store.selected).toBeNull();
    expect(changes.filter((kind) => kind === "pruned")).toHaveLength(2);
  });
});
