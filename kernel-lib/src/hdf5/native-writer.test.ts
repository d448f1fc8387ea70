/**
 * The native writer against h5wasm's HDF5 writing the same snapshot: both files read back (through the native
 * reader and through h5wasm) to the same snapshot, for arbitrary contents and at the writer's limits (many strings
 * across global heap collections, many members in one group, long and non-ASCII names); what it does not write
 * goes through h5wasm. test/test_native_writer.py compares the two files as h5py sees them.
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PipelineSession } from "../session/session";
import { recordingLogger } from "../session/logger";
import { afterLoad, integerKeyMap, key, leaf, nestedMap } from "../test-support/session-arbitraries";
import { useTempDir } from "../test-support/temp-dir";
import { CachedFileBytes } from "./format/file-bytes";
import { readObjectHeader } from "./format/object-header";
import { readSuperblock } from "./format/superblock";
import { readSessionFile, writeSessionFile, type SessionSnapshot } from "./session-file";
import type { SessionMap } from "./values";

/** HDF5 stores access/modification times in headers it writes; the native writer does not. */
const HEADER_TIMES_STORED = 0x20;

function rootHeaderFlags(file: string): number {
  const fd = fs.openSync(file, "r");
  try {
    const bytes = new CachedFileBytes({ filePath: file, fd });
    const superblock = readSuperblock(bytes);
    const header = readObjectHeader({ file: bytes, baseAddress: 0, address: superblock?.rootAddress ?? -1 });
    if (header === undefined) throw new Error(`no root object header in ${file}`);
    return header.flags;
  } finally {
    fs.closeSync(fd);
  }
}

describe("native HDF5 writer", () => {
  const tempDir = useTempDir();

  /** Writes `snapshot` with both writers; returns what each file reads back as, through both readers. */
  async function writeBoth(snapshot: SessionSnapshot, name: string) {
    const native = path.join(tempDir(), `${name}-native.h5`);
    const viaH5wasm = path.join(tempDir(), `${name}-h5wasm.h5`);
    await writeSessionFile(native, snapshot);
    await writeSessionFile(viaH5wasm, snapshot, { via: "h5wasm" });
    const reads = await Promise.all([native, viaH5wasm].flatMap((file) => [readSessionFile(file), readSessionFile(file, { via: "h5wasm" })]));
    return { native, viaH5wasm, reads };
  }

  async function snapshotOf(session: PipelineSession, name: string): Promise<SessionSnapshot> {
    const file = await session.save(path.join(tempDir(), `${name}-source.h5`));
    return (await readSessionFile(file)).snapshot;
  }

  it("arbitrary contents: the native file and the h5wasm file read back the same, through both readers", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, fc.dictionary(key, fc.oneof(leaf, nestedMap), { maxKeys: 5 }), { maxKeys: 3 }), nestedMap, integerKeyMap, async (units, metadata, stimulus) => {
        const session = new PipelineSession({ datasetId: "writers", logger: recordingLogger() });
        session.addUnits(units as Record<string, SessionMap>).addMetadata(metadata).addStimulus(stimulus);
        const snapshot = await snapshotOf(session, `p${run}`);
        const { native, viaH5wasm, reads } = await writeBoth(snapshot, `p${run++}`);
        expect(reads.map((read) => read.via)).toEqual(["native", "h5wasm", "native", "h5wasm"]);
        for (const read of reads) {
          expect(read.snapshot).toStrictEqual(reads[0].snapshot);
          expect(read.skipped).toEqual([]);
        }
        expect(reads[0].snapshot.units).toEqual(afterLoad(session.units as SessionMap));
        // Which writer wrote which file (HDF5 stores header times, the native writer does not).
        expect([rootHeaderFlags(native) & HEADER_TIMES_STORED, rootHeaderFlags(viaH5wasm) & HEADER_TIMES_STORED]).toEqual([0, HEADER_TIMES_STORED]);
      }),
      { numRuns: 60, seed: 20261206 },
    );
  });

  it("many strings (several global heap collections), many members, long and non-ASCII names", async () => {
    const session = new PipelineSession({ datasetId: "limits", logger: recordingLogger() });
    const units: Record<string, SessionMap> = {};
    for (let u = 0; u < 300; u++) units[`unit_${String(u + 1).padStart(3, "0")}`] = { spike_times: Float64Array.of(u, u + 7), row: u % 65, label: `ü${u}` };
    session.addUnits(units);
    const labels = Array.from({ length: 70_000 }, (_, i) => (i % 1000 === 0 ? "" : `label ${i} ${"é".repeat(i % 7)}`));
    session.addMetadata({ labels, ["n".repeat(300)]: 1, "größe ✓": Float32Array.of(1.5), huge_text: "x".repeat(200_000) });
    const snapshot = await snapshotOf(session, "limits");
    const { reads } = await writeBoth(snapshot, "limits");
    for (const read of reads) expect(read.snapshot).toStrictEqual(reads[0].snapshot);
    const loaded = reads[0].snapshot;
    expect(loaded.metadata.labels).toEqual(labels);
    expect(loaded.metadata.huge_text).toBe("x".repeat(200_000));
    expect(Object.keys(loaded.units)).toEqual(Object.keys(units));
    expect(loaded.units.unit_300.label).toBe("ü299");
  });

  it("an attribute too large for a header message: the file is written through h5wasm, and loads", async () => {
    const session = new PipelineSession({ datasetId: "big-attribute", logger: recordingLogger() });
    const many = Array.from({ length: 20_000 }, (_, i) => i * 0.5);
    session.addUnits({ unit_001: { spike_times: Float64Array.of(1, 2), many } });
    const file = await session.save(path.join(tempDir(), "big-attribute.h5"));
    expect(rootHeaderFlags(file) & HEADER_TIMES_STORED).toBe(HEADER_TIMES_STORED);
    const loaded = await PipelineSession.load(file);
    expect(loaded.units.unit_001.many).toEqual(many);
  });
});
