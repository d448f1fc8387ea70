import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NdArray } from "../../hdf5/values";
import { PipelineSession } from "../../session/session";
import { recordingLogger } from "../../session/logger";
import { simulateRecording, type SimulatedRecording } from "../../simulate/simulate-recording";
import { computeEimageSta } from "../../steps/eimage-sta";
import { loadRecording } from "../../steps/load-recording";
import { eimageFootprintData } from "./eimage-footprint";

const ROWS: [number, number] = [20, 25];
const COLUMNS: [number, number] = [40, 43];

let dir: string;
let rec: SimulatedRecording;
let session: PipelineSession;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-footprint-"));
  rec = await simulateRecording({ outputDir: dir, durationS: 8, unitCount: 6, seed: 9, stimuli: ["noise"], grid: { rows: ROWS, columns: COLUMNS } });
  session = await loadRecording({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, session: new PipelineSession({ datasetId: "sim", logger: recordingLogger() }) });
  await computeEimageSta({ session });
}, 600_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("eimage footprint on the simulated recording", () => {
  it("puts the strongest electrode at the unit's planted soma (rows and columns of a non-square block)", () => {
    let correct = 0;
    for (const truth of rec.groundTruth.units) {
      const entry = (session.units[truth.unitId].features as Record<string, { data: NdArray }>).eimage_sta;
      const { strongest } = eimageFootprintData({ eimage: entry.data });
      if (strongest?.row === truth.row - ROWS[0] && strongest?.col === truth.column - COLUMNS[0]) correct++;
    }
    expect(correct).toBe(rec.groundTruth.units.length);
  });
});
