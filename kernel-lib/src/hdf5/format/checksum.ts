/**
 * The checksum HDF5 stores with its version-2 metadata (Bob Jenkins' lookup3 "hashlittle", initial value 0, over
 * the bytes before the checksum field). Checking it makes damaged metadata an error here as in HDF5, instead of
 * values read from flipped bits.
 */

import type { FileBytes } from "./file-bytes";

/** Bytes of a stored checksum. */
export const CHECKSUM_BYTES = 4;

/** The lookup3 checksum of the file's bytes [from, to) equals the one stored at `to` (as HDF5 checks on every read). */
export function checksumHolds(file: FileBytes, from: number, to: number): boolean {
  if (to < from || to + CHECKSUM_BYTES > file.size) return false;
  return lookup3(file.read(from, to - from)) === file.read(to, CHECKSUM_BYTES).readUInt32LE(0);
}

/** lookup3 of `bytes` (HDF5's H5_checksum_lookup3 with initval 0), an unsigned 32-bit integer. */
export function lookup3(bytes: Uint8Array): number {
  let length = bytes.length;
  let a = (0xdeadbeef + length) | 0;
  let b = a;
  let c = a;
  let k = 0;
  // 32-bit arithmetic wraps (| 0, Math.imul-free: only additions, subtractions, xors and rotations); the words are
  // read and the rotations written out in place — this runs over every object header a save writes or a load
  // checks, mostly before the JIT has optimised it.
  while (length > 12) {
    a = (a + (bytes[k] | (bytes[k + 1] << 8) | (bytes[k + 2] << 16) | (bytes[k + 3] << 24))) | 0;
    b = (b + (bytes[k + 4] | (bytes[k + 5] << 8) | (bytes[k + 6] << 16) | (bytes[k + 7] << 24))) | 0;
    c = (c + (bytes[k + 8] | (bytes[k + 9] << 8) | (bytes[k + 10] << 16) | (bytes[k + 11] << 24))) | 0;
    // mix(a, b, c)
    a = (a - c) ^ ((c << 4) | (c >>> 28)); c = (c + b) | 0;
    b = (b - a) ^ ((a << 6) | (a >>> 26)); a = (a + c) | 0;
    c = (c - b) ^ ((b << 8) | (b >>> 24)); b = (b + a) | 0;
    a = (a - c) ^ ((c << 16) | (c >>> 16)); c = (c + b) | 0;
    b = (b - a) ^ ((a << 19) | (a >>> 13)); a = (a + c) | 0;
    c = (c - b) ^ ((b << 4) | (b >>> 28)); b = (b + a) | 0;
    length -= 12;
    k += 12;
  }
  if (length === 0) return c >>> 0;
  // The last 1–12 bytes, added byte by byte into a, b, c (little-endian within each word).
  let tailA = 0;
  let tailB = 0;
  let tailC = 0;
  for (let i = 0; i < length; i++) {
    const byte = bytes[k + i] << (8 * (i & 3));
    if (i < 4) tailA |= byte;
    else if (i < 8) tailB |= byte;
    else tailC |= byte;
  }
  a = (a + tailA) | 0;
  b = (b + tailB) | 0;
  c = (c + tailC) | 0;
  // final(a, b, c)
  c = (c ^ b) - ((b << 14) | (b >>> 18));
  a = (a ^ c) - ((c << 11) | (c >>> 21));
  b = (b ^ a) - ((a << 25) | (a >>> 7));
  c = (c ^ b) - ((b << 16) | (b >>> 16));
  a = (a ^ c) - ((c << 4) | (c >>> 28));
  b = (b ^ a) - ((a << 14) | (a >>> 18));
  c = (c ^ b) - ((b << 24) | (b >>> 8));
  return c >>> 0;
}
