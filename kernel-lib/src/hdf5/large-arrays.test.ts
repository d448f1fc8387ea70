/**
 * Arrays above 8 MB: the native writer puts each in one contiguous block written straight from its memory; the
 * h5wasm writer (its fallback) writes them block by block into chunks of whole rows (so the HDF5 heap never holds
 * more than a block). Both are read back straight from the file: the same values either way, through both readers.
 */
import * as path from "path";
import { describe, expect, it } from "vitest";
import { PipelineSession } from "../session/session";
import { recordingLogger } from "../session/logger";
import { useTempDir } from "../test-support/temp-dir";
import { loadH5wasm, objectHeaderAddress, type H5Dataset } from "./bridge";
import { readSessionFile, writeSessionFile } from "./session-file";
import { readDatasetStorage } from "./storage-layout";
import { NdArray } from "./values";

describe("large arrays in a session file", () => {
  const tmp = useTempDir();

  it("are contiguous (native writer) or chunked in whole rows (h5wasm writer), and come back identical through both readers", async () => {
    const channel = Float32Array.from({ length: 3_000_001 }, (_, i) => Math.sin(i / 7) * 100);
    const matrix = new NdArray(Float64Array.from({ length: 1201 * 1000 }, (_, i) => i * 0.25), [1201, 1000]);
    const spikes = Float64Array.from({ length: 1_100_000 }, (_, i) => i * 3 + (i % 7));
    const session = new PipelineSession({ datasetId: "large", logger: recordingLogger() });
    session.addUnits({ unit_001: { spike_times: spikes } });
    session.addStimulus({ light_reference: { raw_ch1: channel }, matrix });
    const nativeFile = await session.save(path.join(tmp(), "large.h5"));
    const h5wasmFile = path.join(tmp(), "large-h5wasm.h5");
    await writeSessionFile(h5wasmFile, (await readSessionFile(nativeFile)).snapshot, { via: "h5wasm" });

    const h5 = await loadH5wasm();
    for (const [file, kind] of [[nativeFile, "contiguous"], [h5wasmFile, "chunked"]] as const) {
      const opened = new h5.File(file, "r");
      try {
        for (const [name, rowValues] of [
          ["stimulus/light_reference/raw_ch1", 1],
          ["stimulus/matrix", 1000],
          ["units/unit_001/spike_times", 1],
        ] as const) {
          const dataset = opened.get(name) as H5Dataset;
          const storage = readDatasetStorage({ filePath: file, objectHeaderAddress: objectHeaderAddress(dataset)! });
          expect([name, storage?.kind]).toEqual([name, kind]);
          if (storage?.kind !== "chunked") continue;
          expect(storage.chunkShape.slice(1)).toEqual(dataset.shape!.slice(1));
          // Blocks of about 4 MB: every chunk but the last is full, and they cover the whole array.
          expect(storage.chunkShape[0] * rowValues * storage.elementBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
          expect(storage.chunks.length).toBe(Math.ceil(dataset.shape![0] / storage.chunkShape[0]));
        }
      } finally {
        opened.close();
      }
    }

    const reads = await Promise.all([nativeFile, h5wasmFile].flatMap((file) => [readSessionFile(file), readSessionFile(file, { via: "h5wasm" })]));
    expect(reads.map((read) => read.via)).toEqual(["native", "h5wasm", "native", "h5wasm"]);
    const arraysOf = ({ snapshot }: Awaited<ReturnType<typeof readSessionFile>>) => {
      const stimulus = snapshot.stimulus as { light_reference: { raw_ch1: Float32Array }; matrix: NdArray };
      return [stimulus.light_reference.raw_ch1, stimulus.matrix.data, snapshot.units.unit_001.spike_times as Float64Array];
    };
    // Element by element deep equality of millions of values is too slow for a unit test: compare the bytes.
    const same = (a: ArrayBufferView, b: ArrayBufferView) =>
      a.constructor === b.constructor && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
    const expected = [channel, matrix.data, spikes];
    for (const read of reads) {
      expect(arraysOf(read).map((array, i) => same(array, expected[i]))).toEqual([true, true, true]);
      expect((read.snapshot.stimulus.matrix as NdArray).shape).toEqual([1201, 1000]);
    }
  });
});
