/**
 * Fixture data for the unit tests: payloads typed by the shared protocol (kernel-lib's display/protocol.ts, so they
 * cannot leave its shape), and iopub messages built by @jupyterlab/services the way a kernel connection delivers them.
 */
import { KernelMessage } from "@jupyterlab/services";
import { MimeModel } from "@jupyterlab/rendermime";
import type { ReadonlyPartialJSONObject } from "@lumino/coreutils";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import {
  ARROW_MIME,
  PROGRESS_MIME,
  SESSION_MIME,
  STA_MIME,
  type ArrowPayload,
  type ProgressPayload,
  type SessionPayload,
  type StaPayload,
} from "../protocol";

/** A session payload (DESIGN §6: params as an object, per-step warnings as a list). */
export function sessionPayload(overrides: Partial<SessionPayload> = {}): SessionPayload {
  return {
    schema: 1,
    sessionId: "a1b2c3d4e5f6",
    datasetId: "2025.04.10-11.12.57-Rec",
    seq: 1,
    saveState: "deferred",
    hdf5Path: null,
    unitCount: 3,
    memory: { bytes: 3 * 1024 * 1024, breakdown: { units: 3 * 1024 * 1024 - 2048, metadata: 1024, stimulus: 1024 } },
    steps: [
      {
        name: "load_recording",
        status: "completed",
        startedAt: "2026-11-21T06:00:00.000",
        durationMs: 1234,
        params: { cmtrPath: "rec.cmtr" },
        warnings: [],
        warningsOmitted: 0,
      },
      {
        name: "compute_sta",
        status: "completed",
        startedAt: "2026-11-21T06:00:02.000",
        durationMs: 87,
        params: { coverRange: [-60, 0] },
        warnings: ["unit_002: no spikes inside the stimulus"],
        warningsOmitted: 0,
      },
    ],
    // mean_rate was marked complete without a step record (markStepComplete).
    completedSteps: ["load_recording", "compute_sta", "mean_rate"],
    stepsOmitted: 0,
    warnings: ["unit_002: no spikes inside the stimulus", "overwrote output/x.h5"],
    warningsOmitted: 0,
    updatedAt: "2026-11-21T06:00:03.000",
    ...overrides,
  };
}

const SESSION = { username: "test", session: "client-session" };

/** An iopub `display_data` carrying `data` (a session bundle unless told otherwise). */
export function displayDataMsg(data: Record<string, unknown>, displayId = "hdmea-session-a1b2c3d4e5f6"): KernelMessage.IDisplayDataMsg {
  return KernelMessage.createMessage({
    channel: "iopub",
    msgType: "display_data",
    ...SESSION,
    content: { data: data as KernelMessage.IDisplayDataMsg["content"]["data"], metadata: {}, transient: { display_id: displayId } },
  });
}

/** An iopub `update_display_data` carrying `data`. */
export function updateDisplayDataMsg(data: Record<string, unknown>, displayId = "hdmea-session-a1b2c3d4e5f6"): KernelMessage.IUpdateDisplayDataMsg {
  return KernelMessage.createMessage({
    channel: "iopub",
    msgType: "update_display_data",
    ...SESSION,
    content: { data: data as KernelMessage.IUpdateDisplayDataMsg["content"]["data"], metadata: {}, transient: { display_id: displayId } },
  });
}

/** The whole session bundle, with the fallbacks the kernel always sends. */
export function sessionBundle(payload: SessionPayload | string): Record<string, unknown> {
  return { [SESSION_MIME]: payload, "text/html": "<table><tr><td>session</td></tr></table>", "text/plain": "PipelineSession(…)" };
}

export function streamMsg(text: string): KernelMessage.IStreamMsg {
  return KernelMessage.createMessage({ channel: "iopub", msgType: "stream", ...SESSION, content: { name: "stdout", text } });
}

export function statusMsg(state: KernelMessage.Status): KernelMessage.IStatusMsg {
  return KernelMessage.createMessage({ channel: "iopub", msgType: "status", ...SESSION, content: { execution_state: state } });
}

/** A rendermime model holding `data`, as an output area builds it. */
export function mimeModel(data: Record<string, unknown>): MimeModel {
  return new MimeModel({ data: data as ReadonlyPartialJSONObject, trusted: true });
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** A units table of `rows` rows, seeded (row i is always the same), as an Arrow bundle payload. */
export function arrowPayload(rows: number): ArrowPayload {
  const unitId: string[] = [];
  const spikeCount = new Int32Array(rows);
  const meanRateHz = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    unitId.push(`unit_${String(i + 1).padStart(5, "0")}`);
    spikeCount[i] = (i * 7919) % 1000;
    meanRateHz[i] = ((i * 104729) % 5000) / 100;
  }
  const ipc = tableToIPC(tableFromArrays({ unit_id: unitId, spike_count: spikeCount, mean_rate_hz: meanRateHz }), "stream");
  return { schema: 1, encoding: "arrow-ipc-stream", base64: base64(ipc), numRows: rows, numCols: 3, bytes: ipc.byteLength, totalRows: rows };
}

export function arrowBundle(payload: ArrowPayload | string): Record<string, unknown> {
  return { [ARROW_MIME]: payload, "text/html": "<table></table>", "text/plain": "Table" };
}

/** STAs of `unitCount` units, frames × 15 × 15, with one bright pixel per unit at a known frame. */
/** STA frames of `unitCount` units, each with one strong pixel; `withPeaks` adds the kernel's peak as newer kernels do. */
export function staPayload(unitCount: number, frames = 20, withPeaks = false): StaPayload {
  const rows = 15;
  const cols = 15;
  const units = [];
  for (let u = 0; u < unitCount; u++) {
    const values = new Float32Array(frames * rows * cols).fill(0.5);
    for (let i = 0; i < values.length; i++) values[i] += ((i * 31 + u * 17) % 11) / 1000; // small seeded noise
    const peakFrame = frames - 3 - u;
    values[peakFrame * rows * cols + (4 + u) * cols + 7] = u % 2 === 0 ? 0.95 : 0.05; // ON for even units, OFF for odd
    const unit = { unitId: `unit_00${u + 1}`, base64: base64(new Uint8Array(values.buffer)) };
    // A kernel's robust peak may differ from the plain maximum: here one frame earlier, one column left.
    const peak = { frame: peakFrame - 1, row: 4 + u, col: 6, zScore: u % 2 === 0 ? 8 : -8, polarity: u % 2 === 0 ? (1 as const) : (-1 as const) };
    units.push(withPeaks ? { ...unit, peak } : unit);
  }
  return {
    schema: 1,
    shape: [frames, rows, cols],
    firstFrameOffset: -frames,
    feature: "sta_noise",
    selectedUnitId: units[0].unitId,
    units,
    title: "STA · noise",
  };
}

export function progressPayload(overrides: Partial<ProgressPayload> = {}): ProgressPayload {
  return {
    schema: 1,
    taskId: "eimage-1",
    label: "eimage STA",
    state: "running",
    done: 30,
    total: 120,
    fraction: 0.25,
    elapsedMs: 1500,
    etaMs: null,
    message: "",
    seq: 1,
    updatedAt: "2026-11-21T06:00:03.000",
    ...overrides,
  };
}

export { ARROW_MIME, PROGRESS_MIME, SESSION_MIME, STA_MIME };
