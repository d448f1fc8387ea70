import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { simulateRecording } from "../simulate/simulate-recording";
import { useTempDir } from "../test-support/temp-dir";
import { loadH5wasm, objectHeaderAddress, type H5Dataset } from "./bridge";
import { readDatasetStorage, type DatasetStorage } from "./storage-layout";

/** Files written by fixtures/make-layout-fixtures.py (h5py 3.16, HDF5 2.0). */
const FIXTURES = path.join(__dirname, "fixtures");

type H5 = Awaited<ReturnType<typeof loadH5wasm>>;
let h5: H5;

beforeAll(async () => {
  h5 = await loadH5wasm();
});

/** The dataset's bytes as h5wasm reads them (row-major, file byte order: all fixtures are little-endian). */
function h5wasmBytes(dataset: H5Dataset): Buffer {
  const value = dataset.value as ArrayBufferView;
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function readAt(filePath: string, address: number, length: number): Buffer {
  const fd = fs.openSync(filePath, "r");
  try {
    const buffer = Buffer.alloc(length);
    expect(fs.readSync(fd, buffer, 0, length, address)).toBe(length);
    return buffer;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The dataset's bytes assembled from the located storage alone: contiguous bytes as they are; chunks copied row by
 * row into their place in a row-major array, cut at the extent; never-written chunks left as zeros (the fixtures'
 * fill value).
 */
function bytesFromStorage(filePath: string, storage: DatasetStorage, shape: readonly number[], elementBytes: number): Buffer {
  const total = shape.reduce((product, size) => product * size, 1);
  if (storage.kind === "contiguous") {
    expect(storage.bytes).toBe(total * elementBytes);
    return readAt(filePath, storage.address, storage.bytes);
  }
  expect(storage.elementBytes).toBe(elementBytes);
  const out = Buffer.alloc(total * elementBytes);
  const rank = shape.length;
  const chunkShape = storage.chunkShape;
  const chunkElements = chunkShape.reduce((product, size) => product * size, 1);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((product, size) => product * size, 1));
  const chunkStrides = chunkShape.map((_, d) => chunkShape.slice(d + 1).reduce((product, size) => product * size, 1));
  for (const chunk of storage.chunks) {
    expect(chunk.bytes).toBe(chunkElements * elementBytes);
    const data = readAt(filePath, chunk.address, chunk.bytes);
    const rowLength = Math.min(chunkShape[rank - 1], shape[rank - 1] - chunk.offset[rank - 1]);
    const rowCounts = chunkShape.slice(0, -1).map((size, d) => Math.min(size, shape[d] - chunk.offset[d]));
    const rows = rowCounts.reduce((product, size) => product * size, 1);
    for (let row = 0; row < rows; row++) {
      // Position of this row inside the chunk, then inside the dataset.
      let rest = row;
      let from = 0;
      let to = chunk.offset[rank - 1];
      for (let d = rank - 2; d >= 0; d--) {
        const inChunk = rest % rowCounts[d];
        rest = Math.floor(rest / rowCounts[d]);
        from += inChunk * chunkStrides[d];
        to += (chunk.offset[d] + inChunk) * strides[d];
      }
      data.copy(out, to * elementBytes, from * elementBytes, (from + rowLength) * elementBytes);
    }
  }
  return out;
}

interface Case {
  readonly name: string;
  /** Expected kind, or undefined when the storage must be refused. */
  readonly kind: "contiguous" | "chunked" | undefined;
  /** Number of allocated chunks expected, where it says something about the index. */
  readonly chunks?: number;
}

/** Datasets in every fixture file (make-layout-fixtures.py, `common_datasets`). */
const COMMON: readonly Case[] = [
  { name: "frames_int16", kind: "chunked", chunks: 13 }, // 50 frames in chunks of 4: the last one partial
  { name: "deep_int32", kind: "chunked", chunks: 120 }, // > 64 chunks: a v1 B-tree needs two levels at least
  { name: "contiguous_float32", kind: "contiguous" },
  { name: "sparse_int16", kind: "chunked", chunks: 8 }, // one of 9 chunks never written
  { name: "contiguous_empty_float64", kind: undefined }, // never written: no address yet
  { name: "fill_full_int16", kind: "chunked", chunks: 9 }, // fill value -7, every chunk written
  { name: "fill_sparse_int16", kind: undefined }, // fill value -7 and a chunk never written
  { name: "many_attributes_uint16", kind: "chunked", chunks: 12 }, // header with continuation blocks
  { name: "gzip_int16", kind: undefined },
  { name: "shuffle_only_int16", kind: undefined },
  { name: "compact_int32", kind: undefined },
  { name: "external_int16", kind: undefined },
];

/** Datasets only in files of the HDF5 1.10+ format (`v4_index_datasets`). */
const V4_INDEXES: readonly Case[] = [
  { name: "single_chunk_float64", kind: "chunked", chunks: 1 },
  { name: "implicit_int32", kind: "chunked", chunks: 12 },
  { name: "fixed_unpaged_int16", kind: "chunked", chunks: 64 },
  { name: "fixed_paged_int16", kind: "chunked", chunks: 1199 }, // 1200 entries: two pages, one chunk unwritten
  { name: "fixed_paged_sparse_uint8", kind: "chunked", chunks: 476 }, // only the middle of three pages written
  { name: "fixed_maxshape_int16", kind: "chunked", chunks: 12 }, // grid over the maximum extent, 4 × 3 in use
  { name: "extensible_int16", kind: "chunked", chunks: 8 }, // one unlimited dimension
  { name: "btree2_int16", kind: "chunked", chunks: 8 }, // two unlimited dimensions
  { name: "flagged_header_enum16", kind: "chunked", chunks: 9 }, // v2 header with every optional field
];

const FILES: readonly { file: string; superblock: number; cases: readonly Case[] }[] = [
  { file: "layout-earliest.h5", superblock: 0, cases: COMMON },
  { file: "layout-istore-k.h5", superblock: 1, cases: COMMON }, // B-tree K = 4: three levels for 120 chunks
  { file: "layout-v108.h5", superblock: 2, cases: COMMON },
  { file: "layout-latest.h5", superblock: 3, cases: [...COMMON, ...V4_INDEXES] },
  { file: "layout-userblock-earliest.h5", superblock: 0, cases: COMMON },
  { file: "layout-userblock-latest.h5", superblock: 3, cases: [...COMMON, ...V4_INDEXES] },
  {
    file: "layout-growable.h5",
    superblock: 3,
    cases: [
      // 700 chunks, into the array's super blocks; one whole data block (chunks 308-371) never allocated
      { name: "extensible_many_int8", kind: "chunked", chunks: 580 },
      { name: "extensible_swizzled_int8", kind: "chunked", chunks: 1400 }, // unlimited second dimension
      { name: "btree2_deep_int8", kind: "chunked", chunks: 399 }, // internal root node over leaves
    ],
  },
];

/** Locates `name` in the open file and checks the located bytes against h5wasm's read. */
function checkDataset(filePath: string, file: InstanceType<H5["File"]>, name: string): DatasetStorage | undefined {
  const dataset = file.get(name) as H5Dataset;
  const address = objectHeaderAddress(dataset);
  expect(address).toBeGreaterThan(0);
  const storage = readDatasetStorage({ filePath, objectHeaderAddress: address as number });
  if (storage === undefined) return undefined;
  if (storage.kind === "chunked") {
    const offsets = storage.chunks.map((chunk) => chunk.offset.join(","));
    const sorted = [...storage.chunks].sort((a, b) => {
      for (let d = 0; d < a.offset.length; d++) if (a.offset[d] !== b.offset[d]) return a.offset[d] - b.offset[d];
      return 0;
    });
    expect(offsets).toEqual(sorted.map((chunk) => chunk.offset.join(",")));
    expect(new Set(storage.chunks.map((chunk) => chunk.address)).size).toBe(storage.chunks.length);
  }
  const metadata = dataset.metadata;
  expect(bytesFromStorage(filePath, storage, dataset.shape ?? [], metadata.size).equals(h5wasmBytes(dataset))).toBe(true);
  return storage;
}

describe("readDatasetStorage on h5py-written files", () => {
  for (const { file, superblock, cases } of FILES) {
    describe(file, () => {
      const filePath = path.join(FIXTURES, file);

      it(`has superblock version ${superblock}`, () => {
        const bytes = fs.readFileSync(filePath);
        const at = bytes.indexOf(Buffer.from("\x89HDF\r\n\x1a\n", "latin1"));
        expect(bytes[at + 8]).toBe(superblock);
      });

      for (const testCase of cases) {
        it(`${testCase.name}: ${testCase.kind === undefined ? "refused" : `${testCase.kind}, bytes equal h5wasm's`}`, () => {
          const h5file = new h5.File(filePath, "r");
          try {
            const storage = checkDataset(filePath, h5file, testCase.name);
            expect(storage?.kind).toBe(testCase.kind);
            if (storage?.kind === "chunked" && testCase.chunks !== undefined) expect(storage.chunks.length).toBe(testCase.chunks);
          } finally {
            h5file.close();
          }
        });
      }
    });
  }

  it("puts the whole-frame sensor-like chunks of a 3-D int16 dataset one after another in time", () => {
    const filePath = path.join(FIXTURES, "layout-earliest.h5");
    const h5file = new h5.File(filePath, "r");
    try {
      const storage = checkDataset(filePath, h5file, "frames_int16");
      expect(storage?.kind).toBe("chunked");
      if (storage?.kind !== "chunked") return;
      expect(storage.chunkShape).toEqual([4, 5, 5]);
      expect(storage.chunks.map((chunk) => chunk.offset)).toEqual(Array.from({ length: 13 }, (_, i) => [4 * i, 0, 0]));
    } finally {
      h5file.close();
    }
  });

  it("gives undefined, without throwing, for an address that is not an object header or a file that is not HDF5", () => {
    const filePath = path.join(FIXTURES, "layout-latest.h5");
    expect(readDatasetStorage({ filePath, objectHeaderAddress: 3 })).toBeUndefined();
    expect(readDatasetStorage({ filePath, objectHeaderAddress: 10 ** 12 })).toBeUndefined();
    expect(readDatasetStorage({ filePath: path.join(FIXTURES, "make-layout-fixtures.py"), objectHeaderAddress: 96 })).toBeUndefined();
    expect(readDatasetStorage({ filePath: path.join(FIXTURES, "missing.h5"), objectHeaderAddress: 96 })).toBeUndefined();
  });
});

describe("readDatasetStorage on files h5wasm writes", () => {
  const tempDir = useTempDir();

  for (const libver of [undefined, "latest"] as const) {
    it(`locates chunked and contiguous datasets (libver ${libver ?? "default"})`, () => {
      const filePath = path.join(tempDir(), "written.h5");
      const frames = Int16Array.from({ length: 30 * 6 * 7 }, (_, i) => ((i * 7919) % 65536) - 32768);
      const values = Float32Array.from({ length: 45 }, (_, i) => Math.sin(i) * 1000);
      const writer = new h5.File(filePath, "w", libver === undefined ? {} : { libver });
      try {
        writer.create_dataset({ name: "frames", data: frames, shape: [30, 6, 7], dtype: "<h", chunks: [4, 6, 7] });
        writer.create_dataset({ name: "values", data: values, shape: [9, 5], dtype: "<f" });
        const grown = writer.create_dataset({ name: "grown", data: frames.subarray(0, 8 * 42), shape: [8, 6, 7], maxshape: [30, 6, 7], chunks: [5, 6, 7], dtype: "<h" });
        grown.resize([30, 6, 7]);
        grown.write_slice([[8, 30], [0, 6], [0, 7]], frames.subarray(8 * 42));
        const appended = writer.create_dataset({ name: "appended", data: frames.subarray(0, 42), shape: [1, 6, 7], maxshape: [null, 6, 7], chunks: [3, 6, 7], dtype: "<h" });
        appended.resize([30, 6, 7]);
        appended.write_slice([[1, 30], [0, 6], [0, 7]], frames.subarray(42));
      } finally {
        writer.close();
      }
      const reader = new h5.File(filePath, "r");
      try {
        expect(checkDataset(filePath, reader, "frames")?.kind).toBe("chunked");
        expect(checkDataset(filePath, reader, "values")?.kind).toBe("contiguous");
        expect(checkDataset(filePath, reader, "grown")).toMatchObject({ kind: "chunked", chunkShape: [5, 6, 7] });
        expect(checkDataset(filePath, reader, "appended")).toMatchObject({ kind: "chunked", chunkShape: [3, 6, 7] });
      } finally {
        reader.close();
      }
    });
  }

  it("locates the sensor data of a simulated .cmcr recording", async () => {
    const rec = await simulateRecording({
      outputDir: tempDir(),
      durationS: 3,
      unitCount: 2,
      seed: 3,
      grid: { rows: [10, 12], columns: [20, 22] },
      stimuli: ["noise"],
      padFrames: 10,
    });
    const reader = new h5.File(rec.cmcrPath, "r");
    try {
      const storage = checkDataset(rec.cmcrPath, reader, "/Acquisition/Sensor Data/SensorData 1 1");
      expect(storage?.kind).toBe("chunked");
    } finally {
      reader.close();
    }
  });
});

describe("readDatasetStorage on damaged files", () => {
  const tempDir = useTempDir();

  it("returns undefined or in-file ranges, promptly, whatever bytes are overwritten or cut off", () => {
    const sources = ["layout-earliest.h5", "layout-latest.h5", "layout-growable.h5"].map((name) => {
      const filePath = path.join(FIXTURES, name);
      const h5file = new h5.File(filePath, "r");
      try {
        const addresses = h5file.keys().map((key) => objectHeaderAddress(h5file.get(key) as H5Dataset) as number);
        return { bytes: fs.readFileSync(filePath), addresses };
      } finally {
        h5file.close();
      }
    });
    const damage = fc.record({
      source: fc.nat(sources.length - 1),
      cutAt: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      writes: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }),
    });
    fc.assert(
      fc.property(damage, ({ source, cutAt, writes }) => {
        const { bytes, addresses } = sources[source];
        const damaged = Buffer.from(bytes);
        // Half of the writes land in the first few kilobytes (superblock, root group, first headers), where the
        // structures are dense; the rest anywhere.
        const denseEnd = Math.min(damaged.length, Math.min(...addresses) + 4096);
        for (const [where, value] of writes) {
          const position = where < 0.5 ? where * 2 * denseEnd : (where - 0.5) * 2 * damaged.length;
          damaged[Math.min(damaged.length - 1, Math.floor(position))] = value;
        }
        const length = cutAt === undefined ? damaged.length : Math.floor(cutAt * damaged.length);
        const filePath = path.join(tempDir(), "damaged.h5");
        fs.writeFileSync(filePath, damaged.subarray(0, length));
        for (const address of addresses) {
          const storage = readDatasetStorage({ filePath, objectHeaderAddress: address });
          if (storage === undefined) continue;
          const ranges = storage.kind === "contiguous" ? [storage] : storage.chunks;
          for (const range of ranges) expect(range.address + range.bytes).toBeLessThanOrEqual(length);
        }
      }),
      { seed: 20240611, numRuns: 150 },
    );
  });
});
