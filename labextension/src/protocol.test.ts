import { describe, expect, expectTypeOf, it } from "vitest";
import * as kernelProtocol from "hdmea/dist/display/protocol";
import {
  ARROW_MIME,
  isArrowPayload,
  isProgressPayload,
  isSessionPayload,
  isStaPayload,
  PROGRESS_MIME,
  progressFinished,
  progressFraction,
  readSessionPayload,
  SESSION_MIME,
  sessionWarningCount,
  STA_MIME,
  staSelectedIndex,
  stepParamsText,
  stepWarningCount,
  type SessionPayload,
  type SessionStepSummary,
  type StaPayload,
} from "./protocol";
import { arrowPayload, progressPayload, sessionPayload, staPayload } from "./test-support/fixtures";

describe("the shared protocol", () => {
  it("is the kernel library's: same mimetypes, same schema", () => {
    expect(SESSION_MIME).toBe(kernelProtocol.SESSION_MIME);
    expect(ARROW_MIME).toBe(kernelProtocol.ARROW_MIME);
    expect(PROGRESS_MIME).toBe(kernelProtocol.PROGRESS_MIME);
    expect(STA_MIME).toBe("application/vnd.hdmea.sta.v1+json");
    expect(kernelProtocol.PROTOCOL_SCHEMA).toBe(1);
  });

  it("pins the payload types the extension reads (type test, STYLE §2.6)", () => {
    expectTypeOf<SessionPayload>().toEqualTypeOf<kernelProtocol.SessionPayload>();
    expectTypeOf<StaPayload>().toEqualTypeOf<kernelProtocol.StaPayload>();
    expectTypeOf<SessionStepSummary["params"]>().toEqualTypeOf<{ [key: string]: kernelProtocol.ProtocolJson }>();
    expectTypeOf<SessionStepSummary["warnings"]>().toEqualTypeOf<string[]>();
    expectTypeOf<SessionPayload["completedSteps"]>().toEqualTypeOf<string[]>();
    expectTypeOf(isSessionPayload).guards.toEqualTypeOf<SessionPayload>();
    expectTypeOf(isStaPayload).guards.toEqualTypeOf<StaPayload>();
    // @ts-expect-error a step's parameters are an object, never JSON text
    const params: SessionStepSummary["params"] = "{}";
    // @ts-expect-error a step carries its warnings as a list, not a count
    const step: SessionStepSummary = { ...sessionPayload().steps[0], warningCount: 1 };
    expect([params, step]).toHaveLength(2);
  });
});

describe("protocol guards", () => {
  it("accept the payloads of the protocol", () => {
    expect(isSessionPayload(sessionPayload())).toBe(true);
    expect(isArrowPayload(arrowPayload(3))).toBe(true);
    expect(isProgressPayload(progressPayload())).toBe(true);
    expect(isProgressPayload(progressPayload({ state: "done", total: null, fraction: null }))).toBe(true);
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
    expect(isSessionPayload({ ...good, completedSteps: undefined })).toBe(false);
    expect(isSessionPayload(null)).toBe(false);
    expect(isSessionPayload([good])).toBe(false);
    // The first kernel release's step shape (params as text, a warning count) is not this protocol's.
    const textParams = { ...good.steps[0], params: '{"cmtrPath":"rec.cmtr"}' };
    expect(isSessionPayload({ ...good, steps: [textParams] })).toBe(false);
    const { warnings: _warnings, ...counted } = { ...good.steps[1], warningCount: 1 };
    expect(isSessionPayload({ ...good, steps: [counted] })).toBe(false);
    expect(isArrowPayload({ ...arrowPayload(1), encoding: "arrow-ipc-file" })).toBe(false);
    expect(isProgressPayload({ ...progressPayload(), state: "paused" })).toBe(false);
    expect(isProgressPayload({ ...progressPayload(), state: undefined, finished: true })).toBe(false);
    expect(isStaPayload({ ...staPayload(1), shape: [20, 15] })).toBe(false);
    expect(isStaPayload({ ...staPayload(1), units: [] })).toBe(false);
    expect(isStaPayload({ ...staPayload(2), selectedUnitId: "unit_009" })).toBe(false);
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
  it("count warnings, including the ones left out of the payload", () => {
    const payload = sessionPayload({ warningsOmitted: 3 });
    expect(payload.steps.map(stepWarningCount)).toEqual([0, 1]);
    expect(stepWarningCount({ ...payload.steps[1], warningsOmitted: 4 })).toBe(5);
    expect(sessionWarningCount(payload)).toBe(5); // 2 shown + 3 omitted
  });

  it("write parameters as one line of JSON", () => {
    const payload = sessionPayload();
    expect(stepParamsText(payload.steps[1])).toBe('{"coverRange":[-60,0]}');
    expect(stepParamsText({ ...payload.steps[1], params: {} })).toBe("");
  });

  it("derive progress fraction and completion", () => {
    expect(progressFraction(progressPayload())).toBe(0.25);
    expect(progressFraction(progressPayload({ fraction: null, done: 3, total: 4 }))).toBe(0.75);
    expect(progressFraction(progressPayload({ fraction: null, total: null }))).toBeNull();
    expect(progressFraction(progressPayload({ fraction: 1.7 }))).toBe(1);
    expect(progressFinished(progressPayload())).toBe(false);
    expect(progressFinished(progressPayload({ state: "done" }))).toBe(true);
    expect(progressFinished(progressPayload({ state: "failed" }))).toBe(true);
  });

  it("find the STA unit to show first", () => {
    expect(staSelectedIndex({ ...staPayload(3), selectedUnitId: "unit_002" })).toBe(1);
  });
});
