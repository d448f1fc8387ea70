/**
 * int64/uint64 data (DESIGN §3, issue 11): values within ±2^53 load as numbers that remember their disk type
 * (`Int64Numbers` / `Uint64Numbers`) and are saved as int64/uint64 again; an array with a value beyond ±2^53 stays a
 * `BigInt64Array` (exact); an int64 scalar loads as a number and is saved as an int64 scalar again.
 */
import * as path from "path";
import { describe, expect, it } from "vitest";
import { closeQuietly, openHdf5 } from "../io/h5-read";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { useTempDir } from "../test-support/temp-dir";
import type { H5Dataset } from "./bridge";
import { decodeValue, encodeValue, fitsFloat64 } from "./codec";
import { Int64Numbers, markScalarInteger, scalarIntegerOf, Uint64Numbers, type SessionMap } from "./values";

const TWO_53 = 2n ** 53n;

describe("int64 data as numbers", () => {
  const tempDir = useTempDir();

  it("fitsFloat64 accepts exactly the values within ±2^53", () => {
    expect(fitsFloat64(BigInt64Array.of(TWO_53, -TWO_53, 0n, -1n, 2n ** 52n + 1n))).toBe(true);
    expect(fitsFloat64(BigInt64Array.of(TWO_53 + 1n))).toBe(false);
    expect(fitsFloat64(BigInt64Array.of(-TWO_53 - 1n))).toBe(false);
    expect(fitsFloat64(BigInt64Array.of(-(2n ** 63n)))).toBe(false);
    expect(fitsFloat64(BigUint64Array.of(TWO_53))).toBe(true);
    expect(fitsFloat64(BigUint64Array.of(TWO_53 + 1n))).toBe(false);
    expect(fitsFloat64(BigUint64Array.of(2n ** 64n - 1n))).toBe(false);
  });

  it("decodes int64 datasets to Int64Numbers / Uint64Numbers, or keeps BigInt64Array when a value does not fit", () => {
    const small = decodeValue({ dtype: "int64", shape: [3], data: BigInt64Array.of(-5n, 0n, TWO_53) }, ["x", "y"]);
    expect(small).toBeInstanceOf(Int64Numbers);
    expect(Array.from(small as Int64Numbers)).toEqual([-5, 0, 2 ** 53]);
    const unsigned = decodeValue({ dtype: "uint64", shape: [1], data: BigUint64Array.of(7n) }, ["x", "y"]);
    expect(unsigned).toBeInstanceOf(Uint64Numbers);
    const big = decodeValue({ dtype: "int64", shape: [2], data: BigInt64Array.of(1n, TWO_53 + 1n) }, ["x", "y"]);
    expect(big).toEqual(BigInt64Array.of(1n, TWO_53 + 1n));
  });

  it("encodes Int64Numbers as int64 and refuses a value that is no longer whole", () => {
    expect(encodeValue(Int64Numbers.of(1, -2), ["a", "b"]).dtype).toBe("int64");
    expect(encodeValue(Uint64Numbers.of(1, 2), ["a", "b"]).dtype).toBe("uint64");
    expect(encodeValue(Int64Numbers.of(1, 2).map((v) => v * 2), ["a", "b"]).dtype).toBe("int64");
    expect(() => encodeValue(Int64Numbers.of(1.5), ["a", "b"])).toThrow(/a\/b/);
  });

  it("a marked scalar is written as int64; the mark is hidden from keys and not copied by spreading", () => {
    const map: SessionMap = { n: 3 };
    markScalarInteger(map, "n", "int64");
    expect(Object.keys(map)).toEqual(["n"]);
    expect(scalarIntegerOf(map, "n")).toBe("int64");
    expect(scalarIntegerOf({ ...map }, "n")).toBeUndefined();
    expect(encodeValue(3, ["a", "n"], "int64").dtype).toBe("int64");
    expect(encodeValue(3.5, ["a", "n"], "int64").dtype).toBe("float64");
  });

  it("save → load → save keeps int64 datasets and scalars int64, with numbers in memory", async () => {
    const session = new PipelineSession({ datasetId: "i64", logger: recordingLogger() });
    const meta: SessionMap = { count: 12 };
    markScalarInteger(meta, "count", "int64");
    session.addMetadata({ ids: Int64Numbers.of(1, 2, 3), huge: BigInt64Array.of(TWO_53 + 1n), info: meta });
    const first = await session.save(path.join(tempDir(), "a.h5"));
    const loaded = await PipelineSession.load(first);
    const ids = loaded.metadata.ids as Int64Numbers;
    expect(ids).toBeInstanceOf(Int64Numbers);
    expect(ids[0] + 1).toBe(2);
    expect(loaded.metadata.huge).toEqual(BigInt64Array.of(TWO_53 + 1n));
    expect((loaded.metadata.info as SessionMap).count).toBe(12);
    const second = await loaded.save(path.join(tempDir(), "b.h5"));
    for (const file of [first, second]) {
      const h5 = await openHdf5(file);
      try {
        for (const name of ["metadata/ids", "metadata/huge", "metadata/info/count"]) {
          expect((h5.get(name) as H5Dataset).metadata, `${file} ${name}`).toMatchObject({ size: 8, signed: true, type: 0 });
        }
      } finally {
        closeQuietly(h5);
      }
    }
  });
});
