/**
 * The native tree reader against the h5wasm bridge on real files: for every group, dataset and attribute reachable
 * from the root, members, attributes and datasets must deep-equal what `membersOf`, `readAttributes` and
 * `readDataset` give (order and typed-array types included); constructs it does not read must throw
 * NativeTreeUnsupported.
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PipelineSession } from "../session/session";
import { recordingLogger } from "../session/logger";
import { FIXTURES_DIR, useTempDir } from "../test-support/temp-dir";
import { loadH5wasm, membersOf, readAttributes, readDataset, type H5Dataset, type H5Group } from "./bridge";
import { MESSAGE_ATTRIBUTE_INFO, readAttributeInfo } from "./format/attributes";
import { FileBytes } from "./format/file-bytes";
import { MESSAGE_LINK_INFO, readLinkInfo } from "./format/links";
import { readObjectHeader } from "./format/object-header";
import { NativeTreeUnsupported, openNativeTree, type NativeObject } from "./native-tree";
import { readSessionFile, writeSessionFile } from "./session-file";
import { integerKeyMap, key, leaf, nestedMap } from "../test-support/session-arbitraries";
import { NdArray, type SessionMap } from "./values";

const unitId = fc.oneof(key, fc.nat(999).map((n) => `unit_${n}`), fc.nat(400).map(String));

/** Unit entries: spike times (uint64 on disk), row/col (int64 attributes), features, anything else. */
const unit: fc.Arbitrary<SessionMap> = fc
  .record({
    spike_times: fc.array(fc.nat(2 ** 40), { maxLength: 8 }).map((values) => Float64Array.from(values)),
    row: fc.nat(64),
    extra: fc.dictionary(key, fc.oneof(leaf, nestedMap), { maxKeys: 5 }),
  })
  .map(({ extra, ...fixed }) => ({ ...extra, ...fixed }));

const LAYOUT_FIXTURES = path.join(__dirname, "fixtures");

/** What a walk compared: objects, and the reasons of those the native reader refused (none in session files). */
interface Comparison {
  objects: number;
  refused: string[];
}

/**
 * Walks the file with both readers and compares every answer. An object the native reader refuses (with
 * NativeTreeUnsupported, never another error) is listed in `refused` instead.
 */
async function compareWithBridge(filePath: string): Promise<Comparison> {
  const h5 = await loadH5wasm();
  const file = new h5.File(filePath, "r");
  const tree = openNativeTree(filePath);
  let objects = 0;
  const refused: string[] = [];
  const orRefused = <T>(p: string, read: () => T): T | typeof REFUSED => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof NativeTreeUnsupported)) throw error;
      refused.push(`${p}: ${error.message}`);
      return REFUSED;
    }
  };
  const where = (p: string) => `${path.basename(filePath)}:${p}`;
  const visitGroup = (group: H5Group, native: NativeObject): void => {
    objects++;
    const attributes = orRefused(native.path, () => tree.attributes(native));
    if (attributes !== REFUSED) expect(attributes, where(native.path)).toStrictEqual(readAttributes(group));
    const expected = membersOf(group);
    const actual = orRefused(native.path, () => tree.members(native));
    if (actual === REFUSED) return;
    expect(actual.map((m) => [m.name, m.kind]), where(native.path)).toStrictEqual(expected.map((m) => [m.name, m.kind]));
    expected.forEach((member, i) => {
      const object = actual[i].node as NativeObject | null;
      if (member.kind === "other") {
        expect(object).toBeNull();
        return;
      }
      expect(object?.path).toBe(member.entity?.path);
      if (member.kind === "group") visitGroup(member.entity as H5Group, object as NativeObject);
      else visitDataset(member.entity as H5Dataset, object as NativeObject);
    });
  };
  const visitDataset = (dataset: H5Dataset, native: NativeObject): void => {
    objects++;
    const attributes = orRefused(native.path, () => tree.attributes(native));
    if (attributes !== REFUSED) expect(attributes, where(native.path)).toStrictEqual(readAttributes(dataset));
    let expected: ReturnType<typeof readDataset>;
    try {
      expected = readDataset(dataset, filePath);
    } catch {
      // What HDF5 itself cannot read (an external file that is missing), the native reader must not read either.
      expect(() => tree.dataset(native), where(native.path)).toThrow(NativeTreeUnsupported);
      return;
    }
    const actual = orRefused(native.path, () => tree.dataset(native));
    if (actual === REFUSED) return;
    expect(actual, where(native.path)).toStrictEqual(expected);
    expect(actual?.data.constructor, where(native.path)).toBe(expected?.data.constructor);
  };
  try {
    visitGroup(file, tree.root);
  } finally {
    tree.close();
    file.close();
  }
  return { objects, refused };
}

const REFUSED = Symbol("refused");

/** Whether the object at `address` keeps its links or attributes in a fractal heap (dense storage). */
function headerStorage(filePath: string, address: number): { denseLinks: boolean; denseAttributes: boolean } {
  const fd = fs.openSync(filePath, "r");
  try {
    const file = new FileBytes({ filePath, fd });
    const header = readObjectHeader({ file, baseAddress: 0, address });
    const body = (type: number) => header?.messages.find((m) => m.type === type)?.body;
    const linkInfo = body(MESSAGE_LINK_INFO);
    const attributeInfo = body(MESSAGE_ATTRIBUTE_INFO);
    return {
      denseLinks: linkInfo !== undefined && readLinkInfo(linkInfo, filePath).heapAddress !== undefined,
      denseAttributes: attributeInfo !== undefined && readAttributeInfo(attributeInfo, filePath).heapAddress !== undefined,
    };
  } finally {
    fs.closeSync(fd);
  }
}

describe("native tree reader = bridge", () => {
  const tempDir = useTempDir();

  it.each([
    ...["reference-session-layout.h5", "reference-immediate-layout.h5", "plain-hdf5-not-a-session.h5"].map((f) => path.join(FIXTURES_DIR, f)),
    ...fs
      .readdirSync(LAYOUT_FIXTURES)
      .filter((f) => f.endsWith(".h5") && f !== "native-tree-refused.h5")
      .map((f) => path.join(LAYOUT_FIXTURES, f)),
  ])("committed fixture %s", async (filePath) => {
    const { objects, refused } = await compareWithBridge(filePath);
    expect(objects).toBeGreaterThan(1);
    // Only compressed or shuffled datasets are refused (the reader reads no filters).
    for (const reason of refused) expect(reason).toMatch(/^\/(gzip|shuffle)_\w+: dataset storage/);
  });

  it("refuses soft and external links, big-endian data, filters and committed datatypes with NativeTreeUnsupported", async () => {
    const { refused } = await compareWithBridge(path.join(LAYOUT_FIXTURES, "native-tree-refused.h5"));
    expect(refused.map((r) => r.replace(/:.*/, "")).sort()).toEqual(["/external", "/plain", "/plain/big_endian", "/plain/committed", "/plain/gzip", "/soft"]);
    const tree = openNativeTree(path.join(LAYOUT_FIXTURES, "native-tree-refused.h5"));
    try {
      const plain = tree.members(tree.root).find((m) => m.name === "plain")?.node as NativeObject;
      expect(() => tree.attributes(plain)).toThrow(NativeTreeUnsupported);
      expect(() => tree.members({ path: "/x", address: 3 })).toThrow(NativeTreeUnsupported);
    } finally {
      tree.close();
    }
  });

  it("refuses files that are not HDF5 with NativeTreeUnsupported", () => {
    const notHdf5 = path.join(tempDir(), "text.h5");
    fs.writeFileSync(notHdf5, "not an HDF5 file at all");
    expect(() => openNativeTree(notHdf5)).toThrow(NativeTreeUnsupported);
    expect(() => openNativeTree(path.join(tempDir(), "missing.h5"))).toThrow(NativeTreeUnsupported);
  });

  it("sessions saved by PipelineSession.save (property: units past 8 members, unicode, empty, NaN, int64 paths)", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(unitId, unit, { minKeys: 0, maxKeys: 14 }), nestedMap, fc.oneof(nestedMap, integerKeyMap), async (units, metadata, stimulus) => {
        const session = new PipelineSession({ datasetId: "native", logger: recordingLogger() });
        session.addUnits(units).addMetadata(metadata).addStimulus(stimulus);
        const file = await session.save(path.join(tempDir(), `n${run++}.h5`));
        const { objects, refused } = await compareWithBridge(file);
        expect(refused).toEqual([]);
        expect(objects).toBeGreaterThan(3);
      }),
      { numRuns: 60, seed: 20261122 },
    );
  });

  it("dense links and dense attributes (fractal heaps and v2 B-trees) read like the bridge", async () => {
    const units: Record<string, SessionMap> = {};
    for (let u = 0; u < 30; u++) {
      const unit: SessionMap = { spike_times: Float64Array.of(u, u + 1) };
      for (let a = 0; a < 20; a++) unit[a % 3 === 0 ? `attr_${a}` : String(a * 7)] = a % 2 === 0 ? a * 1.5 : a % 5 === 0 ? [`s${a}`, "ü"] : `v${u}-${a}`;
      units[u % 4 === 0 ? String(u) : `unit_${u}`] = unit;
    }
    const session = new PipelineSession({ datasetId: "dense", logger: recordingLogger() });
    session.addUnits(units);
    // HDF5 (the h5wasm writer) stores these densely; the native writer keeps every group and attribute list compact.
    const saved = await session.save(path.join(tempDir(), "dense-native.h5"));
    const file = path.join(tempDir(), "dense.h5");
    await writeSessionFile(file, (await readSessionFile(saved)).snapshot, { via: "h5wasm" });
    const tree = openNativeTree(file);
    try {
      const unitsGroup = tree.members(tree.root).find((m) => m.name === "units")?.node as NativeObject;
      const storage = headerStorage(file, unitsGroup.address);
      expect(storage.denseLinks).toBe(true);
      const firstUnit = tree.members(unitsGroup)[0].node as NativeObject;
      expect(headerStorage(file, firstUnit.address).denseAttributes).toBe(true);
      expect(tree.attributes(firstUnit).length).toBe(20);
    } finally {
      tree.close();
    }
    const { objects, refused } = await compareWithBridge(file);
    expect(refused).toEqual([]);
    expect(objects).toBe(1 + 1 + 30 * 2 + 2 + 4); // root, units, 30 × (unit, spike_times), pipeline, session_info, 3 JSON + integrity record
  });

  it("a session with many units, saved, loaded and saved again", async () => {
    const units: Record<string, SessionMap> = {};
    for (let u = 0; u < 40; u++) {
      units[`unit_${u}`] = {
        spike_times: Float64Array.from({ length: 50 + u }, (_, i) => i * 600 + u),
        row: u % 7,
        name: `ünit ${u}`,
        flags: [u % 2 === 0, true],
        features: { sta: { data: new NdArray(new Float32Array(24).fill(u), [2, 3, 4]), metadata: { n_spikes_used: u } } },
      };
    }
    const session = new PipelineSession({ datasetId: "resave", logger: recordingLogger() });
    session.addUnits(units).addMetadata({ acquisition_rate: 20000, tags: ["a", "b"], empty: new Float64Array(0) });
    const first = await session.save(path.join(tempDir(), "first.h5"));
    const loaded = await PipelineSession.load(first, { logger: recordingLogger() });
    const second = await loaded.save(path.join(tempDir(), "second.h5"));
    for (const file of [first, second]) {
      const { objects, refused } = await compareWithBridge(file);
      expect(refused).toEqual([]);
      expect(objects).toBeGreaterThan(40 * 4);
    }
  });
});
