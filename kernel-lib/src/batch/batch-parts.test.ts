/** The small pure parts of the batch: array indices, SLURM array splitting, parameter comparison, aggregation, display. */
import { tableFromIPC, tableToIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { float64Vector, int32Vector, utf8Vector } from "../arrow/columns";
import { Table } from "apache-arrow";
import { BatchDisplay, batchText } from "../display/batch-display";
import { BATCH_MIME, HTML_MIME, PLAIN_MIME, type BatchPayload } from "../display/protocol";
import { RecordingSink } from "../display/writer";
import { ErrorCode } from "../errors";
import { arrayIndexFromEnv } from "./array-task";
import { differingKeys } from "./completeness";
import { arraySpec, parseMaxArraySize, resolveCommand, splitIntoArrays } from "./slurm";
import { aggregateTables } from "./stage2";

describe("array task index", () => {
  it("takes the first scheduler variable as given, 0 included", () => {
    expect(arrayIndexFromEnv({ SLURM_ARRAY_TASK_ID: "0" })).toEqual({ index: 0, source: "SLURM_ARRAY_TASK_ID=0" });
    expect(arrayIndexFromEnv({ SLURM_ARRAY_TASK_ID: "7", SGE_TASK_ID: "3" })?.index).toBe(7);
    expect(arrayIndexFromEnv({ PBS_ARRAY_INDEX: "4" })?.index).toBe(4);
  });

  it("treats SGE's 'undefined' and empty values as unset, and rejects other text", () => {
    expect(arrayIndexFromEnv({ SGE_TASK_ID: "undefined" })).toBeNull();
    expect(arrayIndexFromEnv({ SGE_TASK_ID: "undefined", PBS_ARRAY_INDEX: "2" })?.index).toBe(2);
    expect(arrayIndexFromEnv({})).toBeNull();
    expect(() => arrayIndexFromEnv({ SLURM_ARRAY_TASK_ID: "1-3" })).toThrow(expect.objectContaining({ code: ErrorCode.BATCH }));
  });
});

describe("SLURM arrays", () => {
  it("keeps task ids below MaxArraySize by splitting with offsets", () => {
    expect(splitIntoArrays([0, 1, 2, 3, 4], 1001)).toEqual([{ offset: 0, taskIds: [0, 1, 2, 3, 4] }]);
    expect(splitIntoArrays([...Array(12).keys()], 8)).toEqual([
      { offset: 0, taskIds: [0, 1, 2, 3, 4, 5, 6, 7] },
      { offset: 8, taskIds: [0, 1, 2, 3] },
    ]);
    expect(splitIntoArrays([2, 10, 11, 30], 8)).toEqual([
      { offset: 2, taskIds: [0] },
      { offset: 10, taskIds: [0, 1] },
      { offset: 30, taskIds: [0] },
    ]);
  });

  it("writes compact --array specs and reads MaxArraySize from scontrol", () => {
    expect(arraySpec([0, 1, 2, 5, 7, 8])).toBe("0-2,5,7-8");
    expect(arraySpec([4])).toBe("4");
    expect(parseMaxArraySize("MaxArraySize            = 8\nMaxJobCount = 10000\n")).toBe(8);
    expect(parseMaxArraySize("MaxJobCount = 10000\n")).toBeNull();
  });

  it("finds commands on PATH and reports missing ones as null", () => {
    expect(resolveCommand("node", { PATH: require("path").dirname(process.execPath) })).toBe(process.execPath);
    expect(resolveCommand("sbatch-that-is-not-there", { PATH: "/nonexistent" })).toBeNull();
  });
});

describe("comparing step parameters", () => {
  it("ignores key order and number spelling, and names the keys that differ", () => {
    expect(differingKeys({ a: 1, b: [1, 2], c: { x: 1, y: 2 } }, { c: { y: 2, x: 1 }, b: [1, 2], a: 1.0 })).toEqual([]);
    expect(differingKeys({ coverRange: [-30, 0], force: false }, { coverRange: [-20, 0], force: false, extra: 1 })).toEqual(["coverRange", "extra"]);
  });
});

describe("aggregating units tables", () => {
  it("stacks tables with different feature columns, nulls where missing, types kept", () => {
    const a = new Table({ unit_id: utf8Vector(["u1", "u2"]), spike_count: int32Vector([3, 4]), f: float64Vector([0.5, 1.5]) });
    const b = new Table({ unit_id: utf8Vector(["u1"]), spike_count: int32Vector([7]), g: utf8Vector(["ON"]) });
    const table = tableFromIPC(
      tableToIPC(
        aggregateTables([
          { recordingId: "r1", recordingIndex: 0, table: a },
          { recordingId: "r2", recordingIndex: 1, table: b },
        ]),
      ),
    );
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      "recording_id:Utf8",
      "recording_index:Int32",
      "unit_id:Utf8",
      "spike_count:Int32",
      "f:Float64",
      "g:Utf8",
    ]);
    expect(table.toArray().map((row) => row.toJSON())).toEqual([
      { recording_id: "r1", recording_index: 0, unit_id: "u1", spike_count: 3, f: 0.5, g: null },
      { recording_id: "r1", recording_index: 0, unit_id: "u2", spike_count: 4, f: 1.5, g: null },
      { recording_id: "r2", recording_index: 1, unit_id: "u1", spike_count: 7, f: null, g: "ON" },
    ]);
  });
});

describe("the batch display", () => {
  it("updates one display in place with the whole state, the last update holding the final state", async () => {
    const sink = new RecordingSink();
    const display = new BatchDisplay({
      batchId: "abc",
      kind: "batch",
      name: "demo",
      activity: "stage 1",
      writer: sink,
      minIntervalMs: 0,
      items: [
        { index: 0, id: "r0", state: "queued", detail: "", unitCount: null },
        { index: 1, id: "r1", state: "queued", detail: "", unitCount: null },
      ],
    });
    display.setItem(0, { state: "done", unitCount: 3 });
    display.setItem(1, { state: "failed", detail: "Recording r1: boom" });
    display.finish("failed");
    const messages = sink.messages;
    expect(messages[0].type).toBe("display_data");
    expect(messages.slice(1).every((m) => m.type === "update_display_data")).toBe(true);
    expect(new Set(messages.map((m) => m.displayId)).size).toBe(1);
    expect(messages[0].displayId).toMatch(/^hdmea-batch-abc-[0-9a-f]{8}$/);
    const last = messages[messages.length - 1].data;
    const payload = last[BATCH_MIME] as BatchPayload;
    expect(payload.state).toBe("failed");
    expect(payload.counts).toMatchObject({ done: 1, failed: 1, queued: 0 });
    expect(payload.items[1]).toEqual({ index: 1, id: "r1", state: "failed", detail: "Recording r1: boom", unitCount: null });
    expect(messages.map((m) => (m.data[BATCH_MIME] as BatchPayload).seq)).toEqual([...messages.map((m) => (m.data[BATCH_MIME] as BatchPayload).seq)].sort((x, y) => x - y));
    expect(String(last[PLAIN_MIME])).toContain("failed r1: Recording r1: boom");
    expect(String(last[HTML_MIME])).not.toContain("<script");
    expect(batchText(payload)).toMatch(/^batch demo · stage 1 · failed · done 1 · failed 1 \(of 2\)/);
  });
});
