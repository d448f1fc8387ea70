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
  let a = (0xdeadbeef + length) >>> 0;
  let b = a;
  let c = a;
  let k = 0;
  const word = (at: number) => (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  const rot = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
  while (length > 12) {
    a = (a + word(k)) >>> 0;
    b = (b + word(k + 4)) >>> 0;
    c = (c + word(k + 8)) >>> 0;
    // mix(a, b, c)
    a = ((a - c) >>> 0) ^ rot(c, 4); c = (c + b) >>> 0;
    b = ((b - a) >>> 0) ^ rot(a, 6); a = (a + c) >>> 0;
    c = ((c - b) >>> 0) ^ rot(b, 8); b = (b + a) >>> 0;
    a = ((a - c) >>> 0) ^ rot(c, 16); c = (c + b) >>> 0;
    b = ((b - a) >>> 0) ^ rot(a, 19); a = (a + c) >>> 0;
    c = ((c - b) >>> 0) ^ rot(b, 4); b = (b + a) >>> 0;
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    length -= 12;
    k += 12;
  }
  if (length === 0) return c;
  // The last 1–12 bytes, added byte by byte into a, b, c (little-endian within each word).
  const tail = [0, 0, 0];
  for (let i = 0; i < length; i++) tail[i >> 2] += bytes[k + i] * 2 ** (8 * (i & 3));
  a = (a + tail[0]) >>> 0;
  b = (b + tail[1]) >>> 0;
  c = (c + tail[2]) >>> 0;
  // final(a, b, c)
  c = ((c ^ b) - rot(b, 14)) >>> 0;
  a = ((a ^ c) - rot(c, 11)) >>> 0;
  b = ((b ^ a) - rot(a, 25)) >>> 0;
  c = ((c ^ b) - rot(b, 16)) >>> 0;
  a = ((a ^ c) - rot(c, 4)) >>> 0;
  b = ((b ^ a) - rot(a, 14)) >>> 0;
  c = ((c ^ b) - rot(b, 24)) >>> 0;
  return c;
}
