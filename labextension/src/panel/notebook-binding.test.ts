import { describe, expect, it } from "vitest";
import type { Kernel, KernelMessage } from "@jupyterlab/services";
import { Signal } from "@lumino/signaling";
import { NotebookBinding } from "./notebook-binding";
import { SessionStore } from "./session-store";
import { displayDataMsg, sessionBundle, sessionPayload } from "../test-support/fixtures";

/**
 * The three signals of a notebook's session context, as real Lumino signals. A real `SessionContext` needs a running
 * Jupyter server; the end-to-end test (test/e2e) covers that, with a real kernel restart.
 */
class SessionContextSignals {
  readonly iopubMessage = new Signal<never, KernelMessage.IMessage>(this as never);
  readonly kernelChanged = new Signal<never, { name: "kernel"; oldValue: Kernel.IKernelConnection | null; newValue: Kernel.IKernelConnection | null }>(this as never);
  readonly statusChanged = new Signal<never, Kernel.Status>(this as never);
}

function bound() {
  const signals = new SessionContextSignals();
  const store = new SessionStore();
  const binding = new NotebookBinding(store, signals as never);
  signals.iopubMessage.emit(displayDataMsg(sessionBundle(sessionPayload({ seq: 1 }))));
  return { signals, store, binding };
}

describe("NotebookBinding", () => {
  it("feeds the kernel's iopub messages into the store", () => {
    const { store } = bound();
    expect(store.selected?.datasetId).toBe("2025.04.10-11.12.57-Rec");
  });

  it.each(["restarting", "autorestarting", "dead"] as const)("clears the store when the kernel is %s", (status) => {
    const { signals, store } = bound();
    signals.statusChanged.emit("busy");
    signals.statusChanged.emit("idle");
    expect(store.sessions).toHaveLength(1);
    signals.statusChanged.emit(status);
    expect(store.sessions).toHaveLength(0);
  });

  it("clears the store when the notebook switches kernels, not on its first connection", () => {
    const { signals, store } = bound();
    const kernel = {} as Kernel.IKernelConnection;
    signals.kernelChanged.emit({ name: "kernel", oldValue: null, newValue: kernel });
    expect(store.sessions).toHaveLength(1);
    signals.kernelChanged.emit({ name: "kernel", oldValue: kernel, newValue: {} as Kernel.IKernelConnection });
    expect(store.sessions).toHaveLength(0);
  });

  it("stops listening and disposes the store when disposed", () => {
    const { signals, store, binding } = bound();
    binding.dispose();
    expect(store.isDisposed).toBe(true);
    signals.iopubMessage.emit(displayDataMsg(sessionBundle(sessionPayload({ seq: 2, unitCount: 99 }))));
    expect(store.selected?.unitCount).toBe(3);
  });

  it("drops sessions whose card left the notebook's outputs when the kernel goes idle (a re-run replaced it)", () => {
    const signals = new SessionContextSignals();
    const store = new SessionStore();
    let shown = new Set(["old-1"]);
    new NotebookBinding(store, signals as never, () => shown);
    signals.iopubMessage.emit(displayDataMsg(sessionBundle(sessionPayload({ sessionId: "old-1", seq: 1 }))));
    signals.statusChanged.emit("idle");
    expect(store.sessions.map((s) => s.sessionId)).toEqual(["old-1"]);
    // The cell ran again: its output now shows a new session, the old card is gone.
    signals.iopubMessage.emit(displayDataMsg(sessionBundle(sessionPayload({ sessionId: "old-2", seq: 2 }))));
    shown = new Set(["old-2"]);
    signals.statusChanged.emit("busy");
    expect(store.sessions).toHaveLength(2); // nothing is judged while a cell runs
    signals.statusChanged.emit("idle");
    expect(store.sessions.map((s) => s.sessionId)).toEqual(["old-2"]);
    expect(store.selectedId).toBe("old-2");
  });
});
