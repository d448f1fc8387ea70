/**
 * The native reader's read-ahead (`NativeTree.prefetch`): the larger numeric datasets read at once with their
 * checksums (the integrity record's scheme, `digest.ts`) computed as the bytes arrive. What it hands out must be exactly what the plain read gives (and what
 * h5wasm gives), its checksum must be the one the integrity check would compute, damage in the bytes it read must
 * still fail the load naming the dataset, and whatever it cannot read ahead it must leave to the plain read.
 */
import * as fs from "fs";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import { describe, expect, it } from "vitest";
import { IntegrityError } from "../errors";
import { sessionSnapshot } from "../test-support/session-snapshot";
import { useTempDir } from "../test-support/temp-dir";
import { loadH5wasm, readDataset, type H5Dataset } from "./bridge";
import type { Raw } from "./codec";
import { checksumHex, CRC32_V1, DIGEST_V2, LARGE_VALUE_BYTES, type ChecksumScheme } from "./digest";
import { NativeTreeUnsupported, openNativeTree, type NativeObject, type NativeTree } from "./native-tree";
import { readSessionFile, writeSessionFile, type SessionSnapshot } from "./session-file";
import { NdArray } from "./values";

const LAYOUT_FIXTURES = path.join(__dirname, "fixtures");

/** Every dataset reachable from the root, by path, each once (a group linked twice is walked once). */
function datasetsOf(tree: NativeTree): Map<string, NativeObject> {
  const out = new Map<string, NativeObject>();
  const seen = new Set<number>();
  const visit = (group: NativeObject): void => {
    if (seen.has(group.address)) return;
    seen.add(group.address);
    for (const { kind, node } of tree.members(group)) {
      if (kind === "group") visit(node as NativeObject);
      else if (kind === "dataset") out.set((node as NativeObject).path, node as NativeObject);
    }
  };
  visit(tree.root);
  return out;
}

function bytesOf(raw: Raw): Uint8Array {
  const data = raw.data as ArrayBufferView;
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * `actual` and `expected` hold the same: every field strictly equal, typed arrays of the same class compared byte
 * for byte (element-wise deep equality of millions of values is too slow for a unit test).
 */
function expectSameRaw(actual: Raw | undefined, expected: Raw | undefined, where: string): void {
  if (actual === undefined || expected === undefined || !ArrayBuffer.isView(actual.data) || !ArrayBuffer.isView(expected.data)) {
    expect(actual, where).toStrictEqual(expected);
    return;
  }
  const { data: actualData, ...actualFields } = actual;
  const { data: expectedData, ...expectedFields } = expected;
  expect(actualFields, where).toStrictEqual(expectedFields);
  expect(actualData.constructor, where).toBe(expectedData.constructor);
  expect(Buffer.compare(bytesOf(actual), bytesOf(expected)), where).toBe(0);
}

/**
 * Reads every dataset of `filePath` through a tree that read ahead and one that did not; both must give the same
 * values, and the read-ahead ones carry the checksum of their bytes under `scheme`. Returns the paths that came read
 * ahead with a checksum.
 */
async function compareReadAhead(filePath: string, scheme: ChecksumScheme = DIGEST_V2): Promise<{ prefetched: number; withChecksum: string[] }> {
  const ahead = openNativeTree(filePath);
  const plain = openNativeTree(filePath);
  try {
    const prefetched = await ahead.prefetch(scheme);
    const withChecksum: string[] = [];
    for (const [datasetPath, node] of datasetsOf(ahead)) {
      const got = ahead.dataset(node);
      const expected = plain.dataset(datasetsOf(plain).get(datasetPath) as NativeObject);
      if (got?.checksum !== undefined) {
        withChecksum.push(datasetPath);
        expect(got.checksum, datasetPath).toEqual({ format: scheme.format, hex: checksumHex(scheme, bytesOf(got)) });
        const { checksum: _, ...values } = got;
        expectSameRaw(values, expected, datasetPath);
        // Handed out once: a second read is the plain one.
        expectSameRaw(ahead.dataset(node), expected, datasetPath);
      } else {
        expectSameRaw(got, expected, datasetPath);
      }
    }
    return { prefetched, withChecksum: withChecksum.sort() };
  } finally {
    ahead.close();
    plain.close();
  }
}

/**
 * A file with medium datasets in every layout the read-ahead takes or leaves, written by h5wasm: with its default
 * format (version-2 object headers, the layout-v4 chunk indexes) or the earliest one (version-1 headers without a
 * checksum, version-1 B-trees).
 */
async function writeLayouts(filePath: string, format: "default" | "earliest" = "default"): Promise<void> {
  const h5 = await loadH5wasm();
  const file = new h5.File(filePath, "w", format === "earliest" ? { libver: ["earliest", "v108"] } : {});
  try {
    file.create_dataset({ name: "contiguous_f64", data: Float64Array.from({ length: 1000 }, (_, i) => i * 0.5 - 7) });
    const group = file.create_group("group");
    // Chunks of whole rows, the last one cut by the extent.
    group.create_dataset({ name: "rows_i32", data: Int32Array.from({ length: 3000 }, (_, i) => i * 7 - 5000), shape: [1000, 3], chunks: [64, 3] });
    group.create_dataset({ name: "rows_u64", data: BigUint64Array.from({ length: 3000 }, (_, i) => BigInt(i) * 1_000_003n), chunks: [512] });
    // Chunks that are not whole rows must be cut: read the plain way.
    group.create_dataset({ name: "tiles_f32", data: Float32Array.from({ length: 4000 }, (_, i) => Math.sin(i)), shape: [100, 40], chunks: [10, 10] });
    // Whole rows, but half of the chunks never written: they read as the fill value, the plain way.
    const holed = group.create_dataset({ name: "holed_i16", data: new Int16Array(0), shape: [0, 20], maxshape: [100, 20], chunks: [10, 20] });
    holed.resize([100, 20]);
    holed.write_slice([[0, 50], []], Int16Array.from({ length: 1000 }, (_, i) => i - 500));
    group.create_dataset({ name: "small_f64", data: Float64Array.of(1, 2, 3) });
    group.create_dataset({ name: "strings", data: ["a", "bc"] });
    file.create_dataset({ name: "scalar", data: 42.5 });
    // A hard link back to its own parent: a walk must not go round forever.
    file.create_hard_link("/group", "/group/again");
  } finally {
    file.close();
  }
}

/** A session whose arrays are above the read-ahead size: spike times, STAs, and one array above 8 MB. */
function largeSnapshot(): SessionSnapshot {
  const units: Record<string, SessionSnapshot["units"][string]> = {};
  for (let u = 0; u < 4; u++) {
    units[`unit_${u + 1}`] = {
      spike_times: Float64Array.from({ length: 1500 + u }, (_, i) => i * 613 + u),
      row: u,
      features: { sta: { data: new NdArray(Float32Array.from({ length: 12 * 10 * 10 }, (_, i) => Math.cos(i * (u + 1))), [12, 10, 10]), metadata: { n_spikes_used: u } } },
    };
  }
  return sessionSnapshot({
    datasetId: "prefetch",
    units,
    metadata: { frame_timestamps: Float64Array.from({ length: 2000 }, (_, i) => i * 400), labels: ["x"] },
    // Above 8 MB: one contiguous block (the h5wasm fallback writer would chunk it in whole rows).
    stimulus: { light_reference: { raw_ch1: Float32Array.from({ length: 2_200_000 }, (_, i) => (Math.imul(i, 2654435761) >>> 0) / 2 ** 32) } },
  });
}

describe("native reader read-ahead", () => {
  const tempDir = useTempDir();

  it.each(["default", "earliest"] as const)("reads ahead contiguous data and whole-row chunks, leaves cut, holed, small and non-numeric data to the plain read, with equal values (%s format)", async (format) => {
    const file = path.join(tempDir(), "layouts.h5");
    await writeLayouts(file, format);
    const { prefetched, withChecksum } = await compareReadAhead(file);
    expect(withChecksum).toEqual(["/contiguous_f64", "/group/rows_i32", "/group/rows_u64"]);
    expect(prefetched).toBe(3);
    // The plain read itself (direct runs, holes as fill) against HDF5's own.
    const h5 = await loadH5wasm();
    const opened = new h5.File(file, "r");
    const tree = openNativeTree(file);
    try {
      for (const [datasetPath, node] of datasetsOf(tree)) {
        expect(tree.dataset(node), datasetPath).toStrictEqual(readDataset(opened.get(datasetPath) as H5Dataset, file));
      }
    } finally {
      tree.close();
      opened.close();
    }
  });

  it("computes each scheme's checksum as the bytes arrive: CRC-32 (v1), GMAC from 16 KiB on and CRC-32 below (v2), none without a record", async () => {
    const file = path.join(tempDir(), "session.h5");
    await writeSessionFile(file, largeSnapshot());
    const v1 = await compareReadAhead(file, CRC32_V1);
    const v2 = await compareReadAhead(file, DIGEST_V2);
    expect(v2.withChecksum).toEqual(v1.withChecksum);
    const tree = openNativeTree(file);
    try {
      await tree.prefetch(DIGEST_V2);
      const lengths = new Set<number>();
      for (const [datasetPath, node] of datasetsOf(tree)) {
        const got = tree.dataset(node);
        if (got?.checksum === undefined) continue;
        // 32 hexadecimal digits for a GMAC tag, 8 for a CRC-32.
        expect(got.checksum.hex.length, datasetPath).toBe(bytesOf(got).byteLength >= LARGE_VALUE_BYTES ? 32 : 8);
        lengths.add(got.checksum.hex.length);
      }
      expect([...lengths].sort()).toEqual([32, 8]);
    } finally {
      tree.close();
    }
    const unchecked = openNativeTree(file);
    try {
      expect(await unchecked.prefetch()).toBeGreaterThan(0);
      for (const [datasetPath, node] of datasetsOf(unchecked)) expect(unchecked.dataset(node)?.checksum, datasetPath).toBeUndefined();
    } finally {
      unchecked.close();
    }
  });

  it("reads ahead the arrays of a saved session; the load gives the same session as through h5wasm", async () => {
    const file = path.join(tempDir(), "session.h5");
    const snapshot = largeSnapshot();
    await writeSessionFile(file, snapshot);
    const { prefetched, withChecksum } = await compareReadAhead(file);
    expect(prefetched).toBe(4 * 2 + 2);
    expect(withChecksum).toContain("/stimulus/light_reference/raw_ch1");
    expect(withChecksum).toContain("/units/unit_4/features/sta/data");
    const native = await readSessionFile(file);
    const viaH5wasm = await readSessionFile(file, { via: "h5wasm" });
    expect([native.via, viaH5wasm.via]).toEqual(["native", "h5wasm"]);
    const light = (snap: SessionSnapshot) => (snap.stimulus.light_reference as { raw_ch1: Float32Array }).raw_ch1;
    for (const loaded of [native.snapshot, viaH5wasm.snapshot]) {
      expect(Buffer.compare(Buffer.from(light(loaded).buffer), Buffer.from(light(snapshot).buffer))).toBe(0);
      const { stimulus: _, ...rest } = loaded;
      const { stimulus: __, ...expectedRest } = native.snapshot;
      expect(isDeepStrictEqual(rest, expectedRest)).toBe(true);
    }
    expect(isDeepStrictEqual(native.snapshot.units, snapshot.units)).toBe(true);
    expect(isDeepStrictEqual(native.snapshot.metadata, snapshot.metadata)).toBe(true);
  });

  it("refuses a record of a format it does not know (a file of a later hdmea), with an IntegrityError naming it", async () => {
    const file = path.join(tempDir(), "later.h5");
    await writeSessionFile(file, largeSnapshot(), { checksums: { format: "hdmea-digest-v9", start: DIGEST_V2.start } });
    const error = await readSessionFile(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as IntegrityError).message).toContain('unknown integrity format "hdmea-digest-v9"');
  });

  // v1: as hdmea saved before the GMAC (those files must load, and be checked, as before).
  it.each([DIGEST_V2, CRC32_V1])("a changed byte in data that was read ahead fails the load with an IntegrityError naming the dataset ($format)", async (scheme) => {
    const file = path.join(tempDir(), "session.h5");
    const snapshot = largeSnapshot();
    await writeSessionFile(file, snapshot, { checksums: scheme });
    const intact = fs.readFileSync(file);
    const loaded = await readSessionFile(file);
    expect(isDeepStrictEqual(loaded.snapshot.units, snapshot.units)).toBe(true);
    const spikes = snapshot.units.unit_3.spike_times as Float64Array;
    const channel = (snapshot.stimulus.light_reference as { raw_ch1: Float32Array }).raw_ch1;
    const sta = (snapshot.units.unit_2.features as { sta: { data: NdArray } }).sta.data.data as Float32Array;
    // Spike times are stored as uint64 sample indices: look for those bytes.
    const storedSpikes = BigUint64Array.from(spikes, (value) => BigInt(value));
    for (const [objectPath, values, offset] of [
      ["/units/unit_3/spike_times", storedSpikes, 8 * 777 + 1],
      ["/units/unit_2/features/sta/data", sta, 4 * 500],
      // Near its end.
      ["/stimulus/light_reference/raw_ch1", channel, 4 * 2_100_003 + 2],
    ] as const) {
      // The byte is found by the 1000 bytes of values before it.
      const before = intact.indexOf(Buffer.from(values.buffer, values.byteOffset + offset - 1000, 1000));
      expect(before, objectPath).toBeGreaterThan(0);
      const damaged = Buffer.from(intact);
      damaged[before + 1000] ^= 0x10;
      const damagedFile = path.join(tempDir(), "damaged.h5");
      fs.writeFileSync(damagedFile, damaged);
      const tree = openNativeTree(damagedFile);
      try {
        expect(await tree.prefetch(), objectPath).toBe(10);
      } finally {
        tree.close();
      }
      const error = await readSessionFile(damagedFile).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, objectPath).toBeInstanceOf(IntegrityError);
      expect((error as IntegrityError).objectPath).toBe(objectPath);
      expect((error as IntegrityError).message).toContain(objectPath);
    }
  });

  it("declines, without an error, on a file the native reader refuses, and the plain reads go on as before", async () => {
    const file = path.join(LAYOUT_FIXTURES, "native-tree-refused.h5");
    const tree = openNativeTree(file);
    const plain = openNativeTree(file);
    try {
      expect(await tree.prefetch()).toBe(0);
      // As the native-tree test finds them: the root lists a soft link, /plain has attributes it does not read.
      const plainGroup = (t: NativeTree) => t.members(t.root).find((m) => m.name === "plain")?.node as NativeObject;
      expect(() => tree.attributes(plainGroup(tree))).toThrow(NativeTreeUnsupported);
      expect(tree.members(plainGroup(tree))).toStrictEqual(plain.members(plainGroup(plain)));
    } finally {
      tree.close();
      plain.close();
    }
    // A closed tree reads nothing ahead.
    const closed = openNativeTree(path.join(LAYOUT_FIXTURES, "layout-latest.h5"));
    closed.close();
    expect(await closed.prefetch()).toBe(0);
  });

  it("declines when a dataset's storage lies beyond the end of the file, and the plain reads go on as before", async () => {
    const file = path.join(tempDir(), "layouts.h5");
    await writeLayouts(file, "earliest");
    const bytes = fs.readFileSync(file);
    // The contiguous layout message of /contiguous_f64 (version 3, class 1, address, 8000 bytes): move its address
    // past the end of the file.
    const size = Buffer.alloc(8);
    size.writeUInt32LE(8000, 0);
    let message = -1;
    for (let at = bytes.indexOf(size); at >= 0; at = bytes.indexOf(size, at + 1)) {
      if (at >= 10 && bytes[at - 10] === 3 && bytes[at - 9] === 1) message = at - 10;
    }
    expect(message).toBeGreaterThan(0);
    const damaged = Buffer.from(bytes);
    damaged.writeUInt32LE(bytes.length - 100, message + 2);
    damaged.writeUInt32LE(0, message + 6);
    const damagedFile = path.join(tempDir(), "beyond.h5");
    fs.writeFileSync(damagedFile, damaged);

    const tree = openNativeTree(damagedFile);
    const h5 = await loadH5wasm();
    const opened = new h5.File(file, "r");
    try {
      expect(await tree.prefetch()).toBe(0);
      const datasets = datasetsOf(tree);
      expect(() => tree.dataset(datasets.get("/contiguous_f64") as NativeObject)).toThrow(NativeTreeUnsupported);
      for (const name of ["/group/rows_i32", "/group/rows_u64", "/group/holed_i16"]) {
        expect(tree.dataset(datasets.get(name) as NativeObject), name).toStrictEqual(readDataset(opened.get(name) as H5Dataset, file));
      }
    } finally {
      tree.close();
      opened.close();
    }
  });
});
