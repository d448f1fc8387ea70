/**
 * The checksums of the integrity record (`integrity.ts`), one scheme per record format:
 *
 *   hdmea-digest-v2 (written now): values of fewer than {@link LARGE_VALUE_BYTES} bytes → CRC-32; larger ones → the
 *     AES-128-GCM tag with key and nonce all zero, the values as associated data and no plaintext (GMAC: GHASH,
 *     which OpenSSL computes with carry-less multiplication, ~4× faster than zlib's CRC-32 here — the checksum is
 *     the one pass a load makes over the values besides reading them). In Python:
 *     `AESGCM(bytes(16)).encrypt(bytes(12), b"", values.tobytes()).hex()` (package `cryptography`).
 *   hdmea-crc32-v1 (files saved before v2): CRC-32 of every value.
 *
 * CRC-32 is the zlib/PNG polynomial, through Node's zlib, with a table-driven JavaScript fallback for a Node without
 * `zlib.crc32` (before 20.15). CRC-32 catches every change of up to 32 consecutive bits; GHASH every change within
 * one 16-byte block, and any other with probability about 2^-128 per block. Both guard against damage, not forgery
 * (the key is public).
 */
import * as crypto from "crypto";
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

/**
 * From this many bytes on, a v2 value's checksum is its GMAC: below, the cost of setting up a cipher (~8 µs) is more
 * than CRC-32 saves. The bench session's 54 KB STAs and 160 KB spike trains are above it.
 */
export const LARGE_VALUE_BYTES = 16 * 1024;

const GMAC_KEY = Buffer.alloc(16);
const GMAC_NONCE = Buffer.alloc(12);

/** A value's checksum as a record of `format` stores it (hexadecimal). */
export interface ValueChecksum {
  readonly format: string;
  readonly hex: string;
}

/** A checksum being computed over a value's bytes, piece by piece in order. */
export interface RunningChecksum {
  update(bytes: Uint8Array): void;
  /** The checksum of every byte given, as the record stores it (hexadecimal). Call once, after the last update. */
  hex(): string;
}

/** How one record format checksums a value of a given byte length. */
export interface ChecksumScheme {
  /** The record format it belongs to (`hdmea_integrity`). */
  readonly format: string;
  start(byteLength: number): RunningChecksum;
}

class Crc32Running implements RunningChecksum {
  private value = 0;
  update(bytes: Uint8Array): void {
    this.value = crc32(bytes, this.value);
  }
  hex(): string {
    return this.value.toString(16).padStart(8, "0");
  }
}

class GmacRunning implements RunningChecksum {
  private readonly cipher = crypto.createCipheriv("aes-128-gcm", GMAC_KEY, GMAC_NONCE);
  update(bytes: Uint8Array): void {
    this.cipher.setAAD(bytes);
  }
  hex(): string {
    this.cipher.final();
    return this.cipher.getAuthTag().toString("hex");
  }
}

export const CRC32_V1: ChecksumScheme = { format: "hdmea-crc32-v1", start: () => new Crc32Running() };

export const DIGEST_V2: ChecksumScheme = {
  format: "hdmea-digest-v2",
  start: (byteLength) => (byteLength >= LARGE_VALUE_BYTES ? new GmacRunning() : new Crc32Running()),
};

/** The scheme of each record format hdmea reads. */
export const CHECKSUM_SCHEMES: ReadonlyMap<string, ChecksumScheme> = new Map([CRC32_V1, DIGEST_V2].map((scheme) => [scheme.format, scheme]));

/** The scheme new files are written with. */
export const CURRENT_SCHEME = DIGEST_V2;

/** The checksum of `bytes` (one whole value) under `scheme`. */
export function checksumHex(scheme: ChecksumScheme, bytes: Uint8Array): string {
  const running = scheme.start(bytes.byteLength);
  running.update(bytes);
  return running.hex();
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
