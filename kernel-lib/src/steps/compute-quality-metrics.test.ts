import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCode } from "../errors";
import { PipelineSession } from "../session/session";
import { recordingLogger } from "../session/logger";
import { simulateRecording, type SimulatedRecording } from "../simulate/simulate-recording";
import { labelUnits, rejectedUnitIds, unitLabel } from "../quality/curation";
import { selectUnits } from "../quality/select-units";
import { QUALITY_FEATURE } from "../quality/metrics";
import { computeQualityMetrics } from "./compute-quality-metrics";
import { extractFeatures } from "./extract-features";
import { loadRecording } from "./load-recording";

/** 40 s, 6 units on a 4 × 4 grid; units 2 and 5 carry a planted refractory-period breach. */
const BREACHES = [
  { unitNumber: 2, fraction: 0.12 },
  { unitNumber: 5, fraction: 0.04 },
];

let dir: string;
let rec: SimulatedRecording;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-quality-"));
  rec = await simulateRecording({
    outputDir: dir,
    durationS: 40,
    unitCount: 6,
    seed: 5,
    grid: { rows: [10, 13], columns: [20, 23] },
    padFrames: 60,
    baselineFrames: 30,
    stepFrames: 30,
    stepRepeats: 2,
    stepLeadFrames: 30,
    refractoryBreaches: BREACHES,
  });
}, 600_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function loaded(): Promise<PipelineSession> {
  return loadRecording({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, session: new PipelineSession({ datasetId: "sim", logger: recordingLogger() }) });
}

function metricsOf(session: PipelineSession, unitId: string): Record<string, number> {
  const features = session.units[unitId].features as Record<string, { data: Record<string, number> }>;
  return features[QUALITY_FEATURE].data;
}

describe("the simulator's planted refractory-period breach", () => {
  it("is recorded in the ground truth for the chosen units only, as extra included spikes", () => {
    for (const unit of rec.groundTruth.units) {
      const breach = BREACHES.find((b) => b.unitNumber === unit.unitNumber);
      if (breach === undefined) {
        expect(unit.refractoryBreach).toBeNull();
        continue;
      }
      expect(unit.refractoryBreach?.fraction).toBe(breach.fraction);
      const planted = unit.refractoryBreach?.plantedSamples ?? [];
      expect(planted.length).toBeGreaterThan(10);
      const spikes = new Set(unit.spikeTimesSamples);
      for (const sample of planted) expect(spikes.has(sample)).toBe(true);
    }
  });

  it("rejects bad breach options before writing anything", async () => {
    const bad = path.join(dir, "bad");
    await expect(simulateRecording({ outputDir: bad, unitCount: 3, refractoryBreaches: [{ unitNumber: 4, fraction: 0.1 }] })).rejects.toThrow(
      /refractoryBreaches/,
    );
    await expect(simulateRecording({ outputDir: bad, refractoryBreaches: [{ unitNumber: 1, fraction: 0.9 }] })).rejects.toMatchObject({
      code: ErrorCode.CONFIGURATION,
    });
    expect(fs.existsSync(bad)).toBe(false);
  });
});

describe("computeQualityMetrics on the simulated recording", () => {
  it("finds exactly the planted ISI violations: their count, rate and contamination; none in clean units", async () => {
    const session = await computeQualityMetrics({ session: await loaded(), refractoryMs: 1.5 });
    expect(session.completedSteps.has("compute_quality_metrics")).toBe(true);
    for (const unit of rec.groundTruth.units) {
      const metrics = metricsOf(session, unit.unitId);
      const n = unit.spikeTimesSamples.length;
      expect(metrics.num_spikes).toBe(n);
      const planted = unit.refractoryBreach?.plantedSamples.length ?? 0;
      expect(metrics.isi_violations_count).toBe(planted);
      expect(metrics.isi_violations_rate).toBeCloseTo(planted / (n - 1), 12);
      if (unit.refractoryBreach === null) {
        expect(metrics.isi_violations_ratio).toBe(0);
        continue;
      }
      // The planted fraction of the original spikes, within the binomial spread of this many draws.
      const original = n - planted;
      const fraction = unit.refractoryBreach.fraction;
      const spread = 4 * Math.sqrt((fraction * (1 - fraction)) / original);
      expect(planted / original).toBeGreaterThan(fraction - spread);
      expect(planted / original).toBeLessThan(fraction + spread);
      expect(metrics.isi_violations_rate).toBeGreaterThan(0);
      expect(metrics.isi_contamination).toBeGreaterThan(0);
    }
    // Between the planted lags (≤ 1.25 ms) and the model's 2 ms dead time, the refractory period does not matter.
    const narrow = await computeQualityMetrics({ session: await loaded(), refractoryMs: 1.3 });
    expect(metricsOf(narrow, "unit_002").isi_violations_count).toBe(rec.groundTruth.units[1].refractoryBreach?.plantedSamples.length);
    // A refractory period shorter than some planted lags catches only those.
    const tiny = await computeQualityMetrics({ session: await loaded(), refractoryMs: 0.5 });
    expect(metricsOf(tiny, "unit_002").isi_violations_count).toBeLessThan(metricsOf(narrow, "unit_002").isi_violations_count);
  }, 600_000);

  it("stores firing rate, presence ratio and median amplitude, with the parameters as feature metadata", async () => {
    const session = await computeQualityMetrics({ session: await loaded(), presenceBinS: 5 });
    const features = session.units.unit_001.features as Record<string, { data: Record<string, number>; metadata: Record<string, number> }>;
    const { data, metadata } = features[QUALITY_FEATURE];
    expect(metadata).toMatchObject({ refractory_ms: 1.5, censored_ms: 0, presence_bin_s: 5, presence_bins: 8 });
    expect(metadata.duration_s).toBeGreaterThan(39);
    expect(data.firing_rate).toBeCloseTo(data.num_spikes / metadata.duration_s, 12);
    expect(data.presence_ratio).toBe(1);
    const amplitudes = Array.from((session.units.unit_001.unit_meta as { peak_amplitudes: Float32Array }).peak_amplitudes).sort((a, b) => a - b);
    const middle = amplitudes.length >> 1;
    expect(data.amplitude_median).toBe(amplitudes.length % 2 ? amplitudes[middle] : (amplitudes[middle - 1] + amplitudes[middle]) / 2);
  }, 600_000);

  it("adds the metrics, the .cmtr isolation scores and the labels as units-table columns", async () => {
    const session = await loaded();
    const before = session.unitsTable().schema.fields.map((f) => f.name);
    expect(before).not.toContain("isi_violations_ratio");
    expect(before).not.toContain("curation_label");
    expect(before).toContain("isoinn"); // from unit_meta, present as soon as the .cmtr is loaded
    await computeQualityMetrics({ session });
    await labelUnits({ session, unitIds: ["unit_002"], label: "reject" });
    const table = session.unitsTable();
    const names = table.schema.fields.map((f) => f.name);
    for (const name of ["curation_label", "presence_ratio", "isi_violations_count", "isi_violations_rate", "isi_violations_ratio", "isi_contamination", "amplitude_median", "isoinn", "isoibg", "separability"]) {
      expect(names).toContain(name);
    }
    expect(names.filter((name) => name.startsWith("quality_metrics."))).toEqual([]);
    const row = table.get(1)?.toJSON() as Record<string, unknown>;
    expect(row).toMatchObject({ unit_id: "unit_002", curation_label: "reject" });
    expect(row.isi_violations_count).toBe(metricsOf(session, "unit_002").isi_violations_count);
    expect(row.isoinn).toBe(Number((session.units.unit_002.unit_meta as Record<string, number>).isoinn));
    const hidden = session.unitsTable({ hideRejected: true });
    expect(hidden.numRows).toBe(5);
    expect(hidden.getChild("unit_id")?.toArray()).not.toContain("unit_002");
  }, 600_000);
});

describe("curation: selectUnits, labelUnits and later steps", () => {
  it("selects units by quality, rejects them, and later steps skip them with a warning unless told otherwise", async () => {
    const session = await computeQualityMetrics({ session: await loaded() });
    const contaminated = selectUnits({ session, where: { isi_violations_count: { min: 1 } } });
    expect(contaminated).toEqual(["unit_002", "unit_005"]);
    expect(selectUnits({ session, where: (row) => row.isi_violations_count === 0 })).toEqual(["unit_001", "unit_003", "unit_004", "unit_006"]);
    await labelUnits({ session, unitIds: contaminated, label: "reject" });
    await labelUnits({ session, unitIds: ["unit_001"], label: "keep" });
    expect(rejectedUnitIds(session)).toEqual(["unit_002", "unit_005"]);
    expect(unitLabel(session, "unit_001")).toBe("keep");
    expect(unitLabel(session, "unit_003")).toBeNull();
    expect(selectUnits({ session })).toEqual(["unit_001", "unit_003", "unit_004", "unit_006"]);
    expect(selectUnits({ session, includeRejected: true, where: { curation_label: "reject" } })).toEqual(contaminated);
    expect(selectUnits({ session, where: { curation_label: null } })).toEqual(["unit_003", "unit_004", "unit_006"]);

    const warningsBefore = session.warnings.length;
    await computeQualityMetrics({ session, refractoryMs: 1.0 });
    const added = session.warnings.slice(warningsBefore);
    expect(added).toEqual([
      'compute_quality_metrics: skipped 2 units labelled "reject" (unit_002, unit_005). Pass includeRejected: true to include them.',
    ]);
    const refractoryOf = (unitId: string) =>
      (session.units[unitId].features as Record<string, { metadata: { refractory_ms: number } }>)[QUALITY_FEATURE].metadata.refractory_ms;
    expect(refractoryOf("unit_001")).toBe(1.0);
    expect(refractoryOf("unit_002")).toBe(1.5); // skipped: keeps its earlier metrics
    await computeQualityMetrics({ session, refractoryMs: 1.0, includeRejected: true });
    expect(refractoryOf("unit_002")).toBe(1.0);

    await labelUnits({ session, unitIds: ["unit_005"], label: null });
    expect(rejectedUnitIds(session)).toEqual(["unit_002"]);

    // Another per-unit step: the rejected unit gets no feature until includeRejected is passed.
    await extractFeatures({ session, features: ["example_feature"] });
    const hasFeature = (unitId: string) => "example_feature" in (session.units[unitId].features as object);
    expect(hasFeature("unit_001") && hasFeature("unit_005")).toBe(true);
    expect(hasFeature("unit_002")).toBe(false);
    expect(session.warnings.at(-1)).toMatch(/^extract_features: skipped 1 unit labelled "reject" \(unit_002\)\. Pass includeRejected: true/);
    await extractFeatures({ session, features: ["example_feature"], includeRejected: true });
    expect(hasFeature("unit_002")).toBe(true);
  }, 600_000);

  it("saves the labels and metrics in the HDF5 file and loads them back", async () => {
    const session = await computeQualityMetrics({ session: await loaded() });
    await labelUnits({ session, unitIds: ["unit_003"], label: "reject" });
    await labelUnits({ session, unitIds: ["unit_004"], label: "keep" });
    const file = await session.save(path.join(dir, "curated.h5"));
    const back = await PipelineSession.load(file, { logger: recordingLogger() });
    expect(rejectedUnitIds(back)).toEqual(["unit_003"]);
    expect(unitLabel(back, "unit_004")).toBe("keep");
    expect(metricsOf(back, "unit_002")).toEqual(metricsOf(session, "unit_002"));
    expect(back.unitsTable({ hideRejected: true }).numRows).toBe(5);
    // hdf5Path mode: label a unit in the file itself.
    const result = await labelUnits({ hdf5Path: file, unitIds: ["unit_006"], label: "reject" });
    expect(result.record.status).toBe("completed");
    expect(rejectedUnitIds(await PipelineSession.load(file, { logger: recordingLogger() }))).toEqual(["unit_003", "unit_006"]);
  }, 600_000);

  it("rejects unknown units, labels and columns with messages that say what to do", async () => {
    const session = await loaded();
    await expect(labelUnits({ session, unitIds: ["unit_099"], label: "reject" })).rejects.toThrow(/No such unit: unit_099/);
    await expect(labelUnits({ session, unitIds: ["unit_001"], label: "maybe" as "keep" })).rejects.toThrow(/"keep", "reject" or null/);
    expect(() => selectUnits({ session, where: { isi_violations_ratio: { max: 0.1 } } })).toThrow(/after computeQualityMetrics/);
    expect(() => selectUnits({ session, where: { snr: { above: 3 } as never } })).toThrow(/\{ min\?, max\? \}/);
    expect(rejectedUnitIds(session)).toEqual([]);
  }, 600_000);

  it("skips with a warning when there are no units or no acquisition rate", async () => {
    const empty = new PipelineSession({ datasetId: "empty", logger: recordingLogger() });
    empty.markStepComplete("load_recording");
    await computeQualityMetrics({ session: empty });
    expect(empty.completedSteps.has("compute_quality_metrics")).toBe(false);
    expect(empty.warnings.at(-1)).toMatch(/No units in the session/);
    await expect(computeQualityMetrics({ session: empty, censoredMs: 2 })).rejects.toThrow(/censoredMs/);
  });
});
