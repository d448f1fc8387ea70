import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { tableFromIPC, tableToIPC, type Table } from "apache-arrow";
import { ErrorCode } from "../errors";
import { NdArray } from "../hdf5/values";
import { PipelineSession } from "../session/session";
import { recordingLogger } from "../session/logger";
import { ARROW_MIME, HTML_MIME, PLAIN_MIME } from "../display/protocol";
import { tableToBundle } from "./bundle";
import { spikesTable } from "./spikes-table";
import { UNITS_TABLE_COLUMNS, unitsTable } from "./units-table";
import { writeArrow } from "./write";

function staWithPeak(frame: number, row: number, col: number, value: number): NdArray<Float32Array> {
  const data = new Float32Array(60 * 15 * 15).fill(127.5);
  data[frame * 225 + row * 15 + col] = value;
  return new NdArray(data, [60, 15, 15]);
}

function demoSession(): PipelineSession {
  const session = new PipelineSession({ datasetId: "demo", logger: recordingLogger() });
  session.addMetadata({ acquisition_rate: 20000, frame_timestamps: new Float64Array([0, 333, 200000]) });
  session.addUnits({
    unit_001: { spike_times: new Float64Array([10, 20000, 40000, 60000]), row: 3, col: 7, global_id: 202, unit_meta: { snr: new Float64Array([12.5]) } },
    unit_002: { spike_times: new Float64Array([5, 6]), row: 64, col: 0, global_id: 4160 },
    "unit_<3>": {},
  });
  session.addFeature("unit_001", "sta_perfect_dense_noise_15x15_15hz_r42_3min", staWithPeak(55, 4, 9, 250));
  session.addFeature("unit_002", "sta_perfect_dense_noise_15x15_15hz_r42_3min", staWithPeak(50, 14, 0, 3));
  session.addFeature("unit_001", "step_up_5s_5i_3x", { on_response_flag: true, on_peak_value: 100, preferred: "on", tuning: new Float32Array([1, 2]) });
  session.addFeature("unit_002", "step_up_5s_5i_3x", { on_response_flag: false, on_peak_value: 6 });
  session.addFeature("unit_002", "quality", 0.75);
  return session;
}

function rows(table: Table): Record<string, unknown>[] {
  return table.toArray().map((row) => ({ ...(row.toJSON() as Record<string, unknown>) }));
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("unitsTable", () => {
  it("has one row per unit with counts, rates, position, SNR, STA peak and scalar features", () => {
    const table = unitsTable(demoSession());
    const names = table.schema.fields.map((f) => f.name);
    expect(names.slice(0, UNITS_TABLE_COLUMNS.length)).toEqual([...UNITS_TABLE_COLUMNS]);
    expect(names.slice(UNITS_TABLE_COLUMNS.length)).toEqual([
      "quality",
      "step_up_5s_5i_3x.on_peak_value",
      "step_up_5s_5i_3x.on_response_flag",
      "step_up_5s_5i_3x.preferred",
    ]);
    const [u1, u2, u3] = rows(table);
    expect(u1).toMatchObject({
      unit_id: "unit_001",
      spike_count: 4,
      row: 3,
      col: 7,
      sensor_id: 202,
      snr: 12.5,
      sta_peak_frame: -5, // frame 55 of an STA without a cover range: 60 frames ending at the spike
      sta_peak_row: 4,
      sta_peak_col: 9,
      sta_polarity: "ON",
      "step_up_5s_5i_3x.on_response_flag": true,
      "step_up_5s_5i_3x.on_peak_value": 100,
      "step_up_5s_5i_3x.preferred": "on",
      quality: null,
    });
    expect(u1.mean_rate_hz).toBeCloseTo(4 / 10, 12); // 200000 samples at 20 kHz = 10 s
    expect(u2).toMatchObject({ unit_id: "unit_002", spike_count: 2, sta_peak_row: 14, sta_peak_col: 0, sta_polarity: "OFF", snr: null, quality: 0.75 });
    // A unit with nothing in it: every column but the id is null.
    expect(u3.unit_id).toBe("unit_<3>");
    for (const name of names.slice(1)) expect(u3[name]).toBeNull();
  });

  it("tolerates an empty session, and leaves the STA columns out while no unit has an STA", () => {
    const table = unitsTable(new PipelineSession({ datasetId: "empty", logger: recordingLogger() }));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(UNITS_TABLE_COLUMNS.filter((name) => !name.startsWith("sta_")));
  });

  it("gives sta_peak_frame relative to the spike with the cover range, and names the session for the unit page", () => {
    const session = demoSession();
    session.addFeature("unit_002", "sta_perfect_dense_noise_15x15_15hz_r42_3min", staWithPeak(40, 2, 3, 3), { cover_range: [-45, 15] });
    const table = unitsTable(session);
    expect(rows(table)[1]).toMatchObject({ sta_peak_frame: -5, sta_peak_row: 2, sta_peak_col: 3 });
    expect(table.schema.metadata.get("hdmea.session_id")).toBe(session.sessionId);
    const payload = tableToBundle(table)[ARROW_MIME];
    expect(payload).toMatchObject({ sessionId: session.sessionId, unitIdColumn: "unit_id" });
    // A table that is not a session's units table names no session.
    expect(tableToBundle(spikesTable(session, "unit_001"))[ARROW_MIME]).not.toHaveProperty("sessionId");
  });

  it("round-trips through an IPC stream", () => {
    const table = unitsTable(demoSession());
    const back = tableFromIPC(tableToIPC(table, "stream"));
    expect(back.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(table.schema.fields.map((f) => `${f.name}:${f.type}`));
    expect(rows(back)).toEqual(rows(table));
  });
});

describe("spikesTable", () => {
  it("lists a unit's spikes as exact int64 sample indices and seconds", () => {
    const table = spikesTable(demoSession(), "unit_001");
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(["sample_index:Int64", "time_s:Float64"]);
    expect(rows(table)).toEqual([
      { sample_index: 10n, time_s: 10 / 20000 },
      { sample_index: 20000n, time_s: 1 },
      { sample_index: 40000n, time_s: 2 },
      { sample_index: 60000n, time_s: 3 },
    ]);
    expect(rows(tableFromIPC(tableToIPC(table)))).toEqual(rows(table));
  });

  it("throws MissingInputError for an unknown unit or one without spikes", () => {
    const session = demoSession();
    expect(() => spikesTable(session, "unit_999")).toThrow(expect.objectContaining({ code: ErrorCode.MISSING_INPUT, missingInput: "unit_999" }));
    expect(() => spikesTable(session, "unit_<3>")).toThrow(/has no spike_times/);
  });
});

describe("tableToBundle", () => {
  it("carries a base64 IPC stream that decodes to the same rows, an HTML preview and text", () => {
    const table = unitsTable(demoSession());
    const bundle = tableToBundle(table, { previewRows: 2 });
    expect(Object.keys(bundle).sort()).toEqual([ARROW_MIME, HTML_MIME, PLAIN_MIME].sort());
    const payload = bundle[ARROW_MIME];
    expect(payload).toMatchObject({ schema: 1, encoding: "arrow-ipc-stream", numRows: 3, numCols: table.numCols, totalRows: 3 });
    const bytes = Buffer.from(payload.base64, "base64");
    expect(bytes.byteLength).toBe(payload.bytes);
    expect(rows(tableFromIPC(bytes))).toEqual(rows(table));
    expect(bundle[HTML_MIME]).toContain("<td>unit_001</td>");
    expect(bundle[HTML_MIME]).not.toContain("unit_<3>"); // only two preview rows
    expect(bundle[HTML_MIME]).toContain("first 2 shown");
    expect(bundle[PLAIN_MIME]).toMatch(/^Arrow table: 3 rows × \d+ columns \(unit_id, spike_count/);
  });

  it("escapes cells in the preview", () => {
    const bundle = tableToBundle(unitsTable(demoSession()));
    expect(bundle[HTML_MIME]).toContain("unit_&lt;3&gt;");
    expect(bundle[HTML_MIME]).not.toContain("<3>");
  });

  it("cuts a table over the cap to its first rows before encoding, and says so", () => {
    const session = new PipelineSession({ datasetId: "big", logger: recordingLogger() });
    const spikes = new Float64Array(50_000).map((_, i) => i * 7);
    session.addMetadata({ acquisition_rate: 20000 });
    session.addUnits({ unit_001: { spike_times: spikes } });
    const table = spikesTable(session, "unit_001");
    const bundle = tableToBundle(table, { maxBytes: 100_000 });
    const payload = bundle[ARROW_MIME];
    expect(payload.base64.length).toBeLessThanOrEqual(100_000);
    expect(payload.totalRows).toBe(50_000);
    expect(payload.numRows).toBeGreaterThan(1000);
    expect(payload.numRows).toBeLessThan(50_000);
    const back = tableFromIPC(Buffer.from(payload.base64, "base64"));
    expect(back.numRows).toBe(payload.numRows);
    expect(rows(back)).toEqual(rows(table.slice(0, payload.numRows)));
    expect(bundle[HTML_MIME]).toContain(`only the first ${payload.numRows} rows`);
  });

  it("rejects a cap that is not a positive size", () => {
    expect(() => tableToBundle(unitsTable(demoSession()), { maxBytes: 0 })).toThrow(expect.objectContaining({ code: ErrorCode.CONFIGURATION }));
  });
});

describe("writeArrow", () => {
  it("writes an Arrow IPC file atomically that reads back to the same rows", async () => {
    const table = unitsTable(demoSession());
    const file = await writeArrow(table, path.join(dir, "sub", "units.arrow"));
    expect(file).toBe(path.join(dir, "sub", "units.arrow"));
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 6).toString("latin1")).toBe("ARROW1");
    expect(rows(tableFromIPC(bytes))).toEqual(rows(table));
    expect(fs.readdirSync(path.join(dir, "sub"))).toEqual(["units.arrow"]);
  });

  it("replaces by default and refuses with overwrite: false", async () => {
    const file = path.join(dir, "spikes.arrow");
    await writeArrow(spikesTable(demoSession(), "unit_002"), file);
    await writeArrow(spikesTable(demoSession(), "unit_001"), file);
    expect(tableFromIPC(fs.readFileSync(file)).numRows).toBe(4);
    await expect(writeArrow(spikesTable(demoSession(), "unit_002"), file, { overwrite: false })).rejects.toMatchObject({
      code: ErrorCode.FILE_EXISTS,
    });
    expect(tableFromIPC(fs.readFileSync(file)).numRows).toBe(4);
  });
});
