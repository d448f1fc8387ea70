import { describe, expect, it } from "vitest";
import {
  completedStepNames,
  isArrowPayload,
  isProgressPayload,
  isSessionPayload,
  isStaPayload,
  progressFinished,
  progressFraction,
  readSessionPayload,
  sessionWarningCount,
  stepParamsText,
  stepWarningCount,
} from "./protocol";
import { arrowPayload, kernelLibSessionPayload, progressPayload, sessionPayload, staPayload } from "./test-support/fixtures";

describe("protocol guards", () => {
  it("accept the DESIGN §6 shape and the kernel library's shape", () => {
    expect(isSessionPayload(sessionPayload())).toBe(true);
    expect(isSessionPayload(kernelLibSessionPayload())).toBe(true);
    expect(isArrowPayload(arrowPayload(3))).toBe(true);
    expect(isProgressPayload(progressPayload())).toBe(true);
    expect(isProgressPayload({ ...progressPayload(), finished: undefined, state: "done", total: null, fraction: null })).toBe(true);
    expect(isStaPayload(staPayload(2))).toBe(true);
  });

  it("reject other schema versions, missing fields and wrong types", () => {
    const good = sessionPayload();
    expect(isSessionPayload({ ...good, schema: 2 })).toBe(false);
    expect(isSessionPayload({ ...good, seq: "3" })).toBe(false);
    expect(isSessionPayload({ ...good, sessionId: "" })).toBe(false);
    expect(isSessionPayload({ ...good, saveState: "unsaved" })).toBe(false);
    expect(isSessionPayload({ ...good, memory: { bytes: 1 } })).toBe(false);
    expect(isSessionPayload({ ...good, steps: [{ name: "x" }] })).toBe(false);
    expect(isSessionPayload({ ...good, warnings: [1] })).toBe(false);
    expect(isSessionPayload(null)).toBe(false);
    expect(isSessionPayload([good])).toBe(false);
    expect(isArrowPayload({ ...arrowPayload(1), encoding: "arrow-ipc-file" })).toBe(false);
    expect(isProgressPayload({ ...progressPayload(), state: "paused" })).toBe(false);
    expect(isStaPayload({ ...staPayload(1), shape: [20, 15] })).toBe(false);
    expect(isStaPayload({ ...staPayload(1), units: [] })).toBe(false);
  });

  it("read mime data given as an object or as JSON text, and nothing else", () => {
    const payload = sessionPayload({ seq: 7 });
    expect(readSessionPayload(payload)?.seq).toBe(7);
    expect(readSessionPayload(JSON.stringify(payload))?.seq).toBe(7);
    expect(readSessionPayload("{not json")).toBeNull();
    expect(readSessionPayload(undefined)).toBeNull();
  });
});

describe("protocol readers", () => {
  it("give the same answers for both payload versions", () => {
    const design = sessionPayload();
    const kernel = kernelLibSessionPayload();
    expect(design.steps.map(stepWarningCount)).toEqual([0, 1]);
    expect(kernel.steps.map(stepWarningCount)).toEqual([0, 1]);
    expect(stepParamsText(design.steps[1])).toBe('{"coverRange":[-60,0]}');
    expect(stepParamsText(kernel.steps[1])).toBe('{"coverRange":[-60,0]}');
    expect(sessionWarningCount(design)).toBe(2);
    expect(sessionWarningCount(kernel)).toBe(5); // 2 shown + 3 omitted
    expect(completedStepNames(design)).toEqual(["load_recording", "compute_sta"]);
    expect(completedStepNames(kernel)).toEqual(["load_recording", "compute_sta", "mean_rate"]);
  });

  it("derive progress fraction and completion", () => {
    expect(progressFraction(progressPayload())).toBe(0.25);
    expect(progressFraction(progressPayload({ fraction: null, done: 3, total: 4 }))).toBe(0.75);
    expect(progressFraction(progressPayload({ fraction: null, total: null }))).toBeNull();
    expect(progressFraction(progressPayload({ fraction: 1.7 }))).toBe(1);
    expect(progressFinished(progressPayload())).toBe(false);
    expect(progressFinished(progressPayload({ finished: true }))).toBe(true);
    expect(progressFinished(progressPayload({ finished: undefined, state: "failed" }))).toBe(true);
  });
});
