import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { useTempDir } from "../test-support/temp-dir";
import { loadH5wasm, objectHeaderAddress, readDataset, readHyperslabInto, type H5Dataset } from "./bridge";
import { openDirectRows } from "./direct-rows";

type H5 = Awaited<ReturnType<typeof loadH5wasm>>;
let h5: H5;
beforeAll(async () => {
  h5 = await loadH5wasm();
});
const tmp = useTempDir();

const ROWS = 1000;
const WIDTH = 3;
const values = Float32Array.from({ length: ROWS * WIDTH }, (_, i) => Math.sin(i) * 1000 + i);

/** Writes `values` as (ROWS, WIDTH) float32 with the given storage, closes the file, reopens it read-only. */
function written(name: string, storage: object): { filePath: string; file: InstanceType<H5["File"]>; dataset: H5Dataset } {
  const filePath = path.join(tmp(), `${name}.h5`);
  const out = new h5.File(filePath, "w");
  out.create_dataset({ name: "x", data: values, shape: [ROWS, WIDTH], dtype: "<f", ...storage });
  out.close();
  const file = new h5.File(filePath, "r");
  return { filePath, file, dataset: file.get("x") as H5Dataset };
}

function open(filePath: string, dataset: H5Dataset, checkWith?: (row: number, target: Uint8Array) => void) {
  return openDirectRows({
    filePath,
    objectHeaderAddress: objectHeaderAddress(dataset),
    shape: [ROWS, WIDTH],
    elementBytes: 4,
    checkWith: checkWith ?? ((row, target) => readHyperslabInto(dataset, [row, 0], [1, WIDTH], target)),
  });
}

describe("openDirectRows", () => {
  it("reads contiguous and whole-row-chunked datasets straight from the file, any row range, the bytes HDF5 reads", () => {
    for (const [name, storage] of [
      ["contiguous", {}],
      ["whole-row chunks", { chunks: [64, WIDTH] }],
    ] as const) {
      const { filePath, file, dataset } = written(name.replace(/\W+/g, "-"), storage);
      try {
        const reader = open(filePath, dataset);
        expect([name, reader !== undefined]).toEqual([name, true]);
        for (const [a, b] of [[0, ROWS], [63, 65], [100, 700], [ROWS - 1, ROWS]]) {
          const target = new Float32Array((b - a) * WIDTH);
          reader!.read(a, b, target);
          expect(Array.from(target)).toEqual(Array.from(values.subarray(a * WIDTH, b * WIDTH)));
        }
        expect(() => reader!.read(0, 2, new Float32Array(5))).toThrow(RangeError);
        reader!.close();
      } finally {
        file.close();
      }
    }
  });

  it("declines chunks that split a row, compressed chunks, and storage whose check row disagrees with HDF5", () => {
    for (const [name, storage] of [
      ["split rows", { chunks: [64, 1] }],
      ["gzip", { chunks: [64, WIDTH], compression: "gzip", compression_opts: 4 }],
    ] as const) {
      const { filePath, file, dataset } = written(name.replace(/\W+/g, "-"), storage);
      try {
        expect([name, open(filePath, dataset)]).toEqual([name, undefined]);
      } finally {
        file.close();
      }
    }
    const { filePath, file, dataset } = written("mismatch", {});
    try {
      // A check read that differs from the file's bytes (as a misparsed layout would) sends the caller to HDF5.
      expect(open(filePath, dataset, (_row, target) => target.fill(7))).toBeUndefined();
    } finally {
      file.close();
    }
  });

  it("serves readDataset's large arrays (> 8 MB) with the same values as reading through HDF5", () => {
    const filePath = path.join(tmp(), "large.h5");
    const big = Float32Array.from({ length: 3_000_000 }, (_, i) => (i % 9973) - 0.5);
    const out = new h5.File(filePath, "w");
    out.create_dataset({ name: "big", data: big, shape: [big.length], dtype: "<f" });
    out.create_dataset({ name: "chunked", data: big, shape: [1000, 3000], dtype: "<f", chunks: [100, 3000] });
    out.close();
    const file = new h5.File(filePath, "r");
    try {
      for (const name of ["big", "chunked"]) {
        const direct = readDataset(file.get(name) as H5Dataset, filePath);
        const viaHdf5 = readDataset(file.get(name) as H5Dataset);
        expect(direct?.data).toBeInstanceOf(Float32Array);
        expect(Buffer.compare(Buffer.from((direct!.data as Float32Array).buffer), Buffer.from((viaHdf5!.data as Float32Array).buffer))).toBe(0);
        expect(Array.from((direct!.data as Float32Array).subarray(9970, 9975))).toEqual(Array.from(big.subarray(9970, 9975)));
      }
    } finally {
      file.close();
    }
  });
});
