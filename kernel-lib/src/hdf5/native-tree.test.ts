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
import { NativeTreeUnsupported, openNativeTree, type NativeObject, type NativeTree } from "./native-tree";
import { keyProblem, NdArray, type SessionMap, type SessionValue } from "./values";

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
      const object = actual[i].object;
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

describe("native tree reader = bridge", () => {
  const tempDir = useTempDir();

  it.each([
    ...["reference-session-layout.h5", "reference-immediate-layout.h5", "plain-hdf5-not-a-session.h5"].map((f) => path.join(FIXTURES_DIR, f)),
    ...fs.readdirSync(LAYOUT_FIXTURES).filter((f) => f.endsWith(".h5")).map((f) => path.join(LAYOUT_FIXTURES, f)),
  ])("committed fixture %s", async (filePath) => {
    const { objects, refused } = await compareWithBridge(filePath);
    expect(objects).toBeGreaterThan(1);
    console.log(path.basename(filePath), objects, refused);
  });
});
