/**
 * The checksum of the integrity record (`integrity.ts`): CRC-32 (the zlib/PNG polynomial), through Node's zlib
 * (native, the fastest pass over memory available here: measured at about twice a plain JavaScript loop over the
 * same words), with a table-driven JavaScript fallback for a Node without `zlib.crc32` (before 20.15) that gives
 * the same values. CRC-32 catches every change of up to 32 consecutive bits (a flipped or zeroed byte, a
 * damaged word) and any other change with probability 1 − 2^-32; it guards against damage, not forgery.
 */
import * as zlib from "zlib";

type Crc32 = (data: Uint8Array, initial?: number) => number;

const nativeCrc32 = (zlib as unknown as { crc32?: Crc32 }).crc32;

/** The CRC-32 of `bytes` continued from `initial` (0 to start), an unsigned 32-bit integer. */
export function crc32(bytes: Uint8Array, initial = 0): number {
  return (nativeCrc32 ?? jsCrc32)(bytes, initial) >>> 0;
}

/** The CRC-32 of `bytes` as 8 hexadecimal digits. */
export function crc32Hex(bytes: Uint8Array, initial = 0): string {
  return crc32(bytes, initial).toString(16).padStart(8, "0");
}

let table: Uint32Array | undefined;

function jsCrc32(bytes: Uint8Array, initial = 0): number {
  table ??= makeTable();
  let crc = ~initial >>> 0;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

function makeTable(): Uint32Array {
  const out = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    out[n] = c >>> 0;
  }
  return out;
}

/** @internal For the test that the fallback gives zlib's values. */
export const crc32ForTests = { native: nativeCrc32, javascript: jsCrc32 };
