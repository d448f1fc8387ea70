/**
 * A flipped bit in an object header (where attributes and small groups live) is an error, as HDF5 makes it one
 * through its checksum — never a wrong value read into the session.
 */
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { DataLoadError } from "../errors";
import { PipelineSession } from "../session/session";
import { recordingLogger } from "../session/logger";
import { useTempDir } from "../test-support/temp-dir";
import { lookup3 } from "./format/checksum";
import { readSessionFile } from "./session-file";

describe("damaged metadata in a session file", () => {
  const tmp = useTempDir();

  it("lookup3 gives HDF5's checksum of a superblock", () => {
    const file = path.join(__dirname, "fixtures", "layout-latest.h5");
    const bytes = fs.readFileSync(file);
    // Superblock version 2/3: 44 bytes, then their checksum.
    expect(bytes[8]).toBeGreaterThanOrEqual(2);
    expect(lookup3(bytes.subarray(0, 44))).toBe(bytes.readUInt32LE(44));
    expect(lookup3(new Uint8Array(0))).toBe(0xdeadbeef);
  });

  it("a changed attribute byte in an object header makes the load fail with DataLoadError, natively and through h5wasm", async () => {
    const marker = 4886718345; // 0x123456789, stored inline as an int64 attribute of the unit group
    const session = new PipelineSession({ datasetId: "damaged", logger: recordingLogger() });
    session.addUnits({ unit_001: { row: marker, spike_times: Float64Array.of(1, 2, 3) } });
    const file = await session.save(path.join(tmp(), "damaged.h5"));
    expect((await readSessionFile(file)).via).toBe("native");

    const bytes = fs.readFileSync(file);
    const pattern = Buffer.alloc(8);
    pattern.writeBigInt64LE(BigInt(marker));
    const at = bytes.indexOf(pattern);
    expect(at).toBeGreaterThan(0);
    bytes[at] ^= 0x01;
    fs.writeFileSync(file, bytes);

    await expect(readSessionFile(file)).rejects.toBeInstanceOf(DataLoadError);
    await expect(readSessionFile(file, { via: "h5wasm" })).rejects.toBeInstanceOf(DataLoadError);
  });
});
