/**
 * docs/differences-from-reference.md against the code: every difference the code declares is listed in the doc's
 * "Recorded in code" section and every listed one is declared; each is checked in code (the default, constant or
 * extractor version) and in a file written by `save()` (the attribute or dataset that records it).
 */
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { defaultFeatureRegistry } from "./features/default-registry";
import { SPIKE_TIME_BASE } from "./features/extractors/inputs";
import type { H5Dataset, H5Group } from "./hdf5/bridge";
import { Int64Numbers, NdArray } from "./hdf5/values";
import { closeQuietly, openHdf5 } from "./io/h5-read";
import { REFERENCE_DIFFERENCES } from "./reference-differences";
import { recordingLogger } from "./session/logger";
import { PipelineSession } from "./session/session";
import { computeEimageSta, loadRecordingWithEimageSta } from "./steps/eimage-sta";
import { staMessages } from "./steps/sta-messages";
import { useTempDir } from "./test-support/temp-dir";

const DOC = path.join(__dirname, "..", "..", "docs", "differences-from-reference.md");

function recordedInCodeIds(): string[] {
  const text = fs.readFileSync(DOC, "utf8");
  const section = text.split("## Recorded in code")[1]?.split("\n## ")[0] ?? "";
  return [...section.matchAll(/^- \*\*([a-z0-9-]+)\*\*/gm)].map((match) => match[1]);
}

describe("docs/differences-from-reference.md", () => {
  const tempDir = useTempDir();

  it("lists exactly the differences the code declares", () => {
    expect(recordedInCodeIds().sort()).toEqual(REFERENCE_DIFFERENCES.map((d) => d.id).sort());
  });

  it("each listed difference holds in the code and in a written file", async () => {
    // In code.
    expect(loadRecordingWithEimageSta.defaults.eimageUnit).toBe("counts");
    expect(computeEimageSta.defaults.eimageUnit).toBe("counts");
    expect(loadRecordingWithEimageSta.defaults.peakCutouts).toBe(false);
    const extractor = (name: string) => defaultFeatureRegistry.get(name);
    for (const name of ["baseline_127", "example_feature"]) {
      expect([extractor(name).version, extractor(name).spikeTimeBase]).toEqual(["2.0.0", SPIKE_TIME_BASE.SAMPLES_OVER_RATE]);
    }
    for (const name of ["frif", "step_up"]) expect([extractor(name).version, extractor(name).spikeTimeBase]).toEqual(["2.0.0", SPIKE_TIME_BASE.SAMPLE_INDEX]);
    expect(staMessages.movieLongerThanShown("m.npy", 25, 20)).toMatch(/used the first 20 frames/);

    // In a written file.
    const session = new PipelineSession({ datasetId: "doc", logger: recordingLogger() });
    session.addUnits({
      unit_001: {
        spike_times: Float64Array.of(10, 20),
        waveform: Float32Array.of(1, 2, 3),
        unit_meta: { row: Int64Numbers.of(7) },
      },
    });
    session.addFeature("unit_001", "eimage_sta", new NdArray(new Float32Array(2 * 1 * 1), [2, 1, 1]), {
      unit: loadRecordingWithEimageSta.defaults.eimageUnit,
      pre_samples: 1,
      post_samples: 1,
    });
    session.addFeature("unit_001", "sta_noise", new NdArray(new Float32Array(60), [60, 1, 1]), { cover_range: [-60, 0] });
    const file = await session.save(path.join(tempDir(), "doc.h5"));
    const h5 = await openHdf5(file);
    try {
      const attrs = (at: string) => {
        const target = h5.get(at) as H5Dataset | H5Group;
        return Object.fromEntries(Object.entries(target.attrs).map(([name, attribute]) => [name, attribute.value]));
      };
      expect(attrs("units/unit_001/spike_times").unit).toBe("sample_index");
      expect(attrs("units/unit_001/waveform").unit).toBe("cmtr_cutout");
      expect(attrs("units/unit_001/features/eimage_sta/data").unit).toBe("counts");
      expect((h5.get("units/unit_001/features/eimage_sta/metadata/unit") as H5Dataset).value).toBe("counts");
      const sta = attrs("units/unit_001/features/sta_noise/data");
      expect(sta.axes).toEqual(["frame_offset", "row", "col"]);
      const offsets = Array.from(sta.frame_offsets as ArrayLike<number | bigint>, Number);
      expect([offsets.length, offsets[0], offsets[59]]).toEqual([60, -60, -1]);
      expect((h5.get("units/unit_001/unit_meta/row") as H5Dataset).metadata).toMatchObject({ shape: [1], size: 8, signed: true });
    } finally {
      closeQuietly(h5);
    }
    const loaded = await PipelineSession.load(file);
    const row = (loaded.units.unit_001.unit_meta as Record<string, unknown>).row;
    expect(row).toBeInstanceOf(Int64Numbers);
    expect((row as Int64Numbers)[0] + 1).toBe(8);
  });
});
