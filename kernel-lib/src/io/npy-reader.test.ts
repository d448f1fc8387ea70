import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataLoadError, FileNotFoundError } from "../errors";
import { readNpy } from "./npy-reader";
import { encodeNpy, writeNpy } from "./npy-writer";
import type { NpyData } from "./npy-format";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A .npy file with a hand-written header (to make the cases numpy would write but we refuse). */
function handMade(header: string, body: Buffer, version: 1 | 2 | 3 = 1): Buffer {
  const text = Buffer.from(`${header}\n`, "latin1");
  const prefix = Buffer.alloc(version === 1 ? 10 : 12);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]).copy(prefix);
  prefix[6] = version;
  prefix[7] = 0;
  if (version === 1) prefix.writeUInt16LE(text.length, 8);
  else prefix.writeUInt32LE(text.length, 8);
  return Buffer.concat([prefix, text, body]);
}

describe(".npy round trip", () => {
  const cases: [string, NpyData, number[]][] = [
    ["uint8", Uint8Array.from([0, 255, 7, 9, 1, 2]), [2, 3]],
    ["int16", Int16Array.from([-32768, 32767, 0, 5]), [4]],
    ["int32", Int32Array.from([-1, 2, -3, 4, 5, 6, 7, 8]), [2, 2, 2]],
    ["float32", Float32Array.from([1.5, -2.25, Number.NaN]), [3]],
    ["float64", Float64Array.from([Math.PI, -1e300]), [1, 2]],
  ];
  for (const [dtype, data, shape] of cases) {
    it(`writes and reads ${dtype} back unchanged`, () => {
      const file = path.join(dir, `${dtype}.npy`);
      writeNpy({ npyPath: file, data, shape });
      const bytes = fs.readFileSync(file);
      // numpy's layout: magic, version 1.0, header padded so the data starts at a multiple of 64 bytes.
      expect(bytes[6]).toBe(1);
      expect((10 + bytes.readUInt16LE(8)) % 64).toBe(0);
      const back = readNpy({ npyPath: file });
      expect(back.dtype).toBe(dtype);
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    });
  }

  it("reads a version 2.0 header", () => {
    const file = path.join(dir, "v2.npy");
    fs.writeFileSync(file, handMade("{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }", Buffer.from(Int16Array.from([1, -2, 3]).buffer), 2));
    expect(Array.from(readNpy({ npyPath: file }).data)).toEqual([1, -2, 3]);
  });
});

describe(".npy errors", () => {
  const bad: [string, Buffer, RegExp][] = [
    ["Fortran order", handMade("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 2), }", Buffer.alloc(4)), /Fortran order/],
    ["an unsupported dtype", handMade("{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }", Buffer.alloc(4)), /dtype '<u2'/],
    ["big-endian data", handMade("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", Buffer.alloc(4)), /dtype '>f4'/],
    ["version 3.0", handMade("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", Buffer.alloc(1), 3), /version 3\.0/],
    ["missing data", handMade("{'descr': '<f8', 'fortran_order': False, 'shape': (10,), }", Buffer.alloc(8)), /truncated.*80 data bytes.*8/],
    ["no magic", Buffer.from("PK\x03\x04 not numpy"), /not a NumPy \.npy file/],
  ];
  for (const [name, bytes, pattern] of bad) {
    it(`refuses ${name} with a DataLoadError`, () => {
      const file = path.join(dir, `bad-${name.replace(/\W+/g, "-")}.npy`);
      fs.writeFileSync(file, bytes);
      const attempt = () => readNpy({ npyPath: file });
      expect(attempt).toThrow(DataLoadError);
      expect(attempt).toThrow(pattern);
    });
  }

  it("reports a missing file with FileNotFoundError", () => {
    expect(() => readNpy({ npyPath: path.join(dir, "nope.npy") })).toThrow(FileNotFoundError);
  });

  it("refuses to write data that does not match its shape", () => {
    expect(() => encodeNpy(Uint8Array.of(1, 2, 3), [2, 2])).toThrow(/holds 4 elements but the data has 3/);
  });
});
