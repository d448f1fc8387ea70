/**
 * Bounded reads of an open file and a little-endian cursor over them, for parsing HDF5 structures by hand. Every
 * read checks that the file really holds the bytes asked for, so a truncated or damaged file ends in a typed error
 * instead of a parse of zeros.
 */
import * as fs from "fs";
import { DataLoadError } from "../../errors";
import { messages } from "../messages";

/** HDF5's "undefined address": all bits set. */
const UNDEFINED_HALF = 0xffffffff;
/** Above this high word an 8-byte value no longer fits a JavaScript number exactly (2^53). */
const MAX_SAFE_HIGH_WORD = 0x1fffff;

/** One open file, read in small pieces at absolute offsets. */
export class FileBytes {
  readonly filePath: string;
  readonly size: number;
  protected readonly fd: number;

  constructor(options: { filePath: string; fd: number }) {
    this.filePath = options.filePath;
    this.fd = options.fd;
    this.size = fs.fstatSync(options.fd).size;
  }

  /** `length` bytes at absolute offset `address`; throws when the file ends first. */
  read(address: number, length: number): Buffer {
    if (address < 0 || length < 0 || address + length > this.size) {
      throw new DataLoadError(this.filePath, messages.formatTruncated(this.filePath, address, length));
    }
    // Every byte is read into it (or the read throws): no need to zero it first.
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const got = fs.readSync(this.fd, buffer, done, length - done, address + done);
      if (got === 0) throw new DataLoadError(this.filePath, messages.formatTruncated(this.filePath, address, length));
      done += got;
    }
    return buffer;
  }

  /** A cursor over `length` bytes at `address`. */
  cursor(address: number, length: number): ByteCursor {
    return new ByteCursor({ buffer: this.read(address, length), filePath: this.filePath });
  }

  /** Reads exactly `target.byteLength` bytes at `address` into `target` (large data, no intermediate buffer). */
  readInto(address: number, target: Uint8Array): void {
    const length = target.byteLength;
    if (address < 0 || address + length > this.size) {
      throw new DataLoadError(this.filePath, messages.formatTruncated(this.filePath, address, length));
    }
    let done = 0;
    while (done < length) {
      const got = fs.readSync(this.fd, target, done, length - done, address + done);
      if (got === 0) throw new DataLoadError(this.filePath, messages.formatTruncated(this.filePath, address, length));
      done += got;
    }
  }
}

/**
 * Small pages: a session file's object headers sit in small clusters beside each unit's data, so a larger page
 * mostly reads (and allocates) array bytes nobody asked for — 37 MB of 64 KB pages to walk the 256 MB bench
 * session, 5.5 MB of 8 KB pages for 17 % more reads.
 */
const PAGE_BYTES = 8 * 1024;
/** Enough for every page of a large session's structures, so that a second walk of the tree reads nothing again. */
const MAX_PAGES = 1024;

/**
 * FileBytes that reads whole pages and keeps the most recent ones: walking a file's tree reads hundreds of
 * small structures that sit close together, so most of them then cost no system call. Returned buffers may be
 * views of a cached page; callers only read them.
 */
export class CachedFileBytes extends FileBytes {
  private readonly pages = new Map<number, Buffer>();

  override read(address: number, length: number): Buffer {
    if (address < 0 || length < 0 || address + length > this.size) {
      throw new DataLoadError(this.filePath, messages.formatTruncated(this.filePath, address, length));
    }
    const first = Math.floor(address / PAGE_BYTES);
    const last = Math.floor((address + Math.max(0, length - 1)) / PAGE_BYTES);
    if (length > PAGE_BYTES || last > first + 1) return super.read(address, length);
    const start = address - first * PAGE_BYTES;
    if (first === last) return this.page(first).subarray(start, start + length);
    return Buffer.concat([this.page(first).subarray(start), this.page(last)]).subarray(0, length);
  }

  private page(index: number): Buffer {
    const cached = this.pages.get(index);
    if (cached !== undefined) {
      // Map order is insertion order: re-inserting marks the page as most recently used.
      this.pages.delete(index);
      this.pages.set(index, cached);
      return cached;
    }
    const address = index * PAGE_BYTES;
    const page = super.read(address, Math.min(PAGE_BYTES, this.size - address));
    if (this.pages.size >= MAX_PAGES) this.pages.delete(this.pages.keys().next().value as number);
    this.pages.set(index, page);
    return page;
  }
}

/** Reads little-endian fields one after another from a buffer (HDF5 stores every field little-endian). */
export class ByteCursor {
  readonly buffer: Buffer;
  private readonly filePath: string;
  private position = 0;

  constructor(options: { buffer: Buffer; filePath: string }) {
    this.buffer = options.buffer;
    this.filePath = options.filePath;
  }

  get offset(): number {
    return this.position;
  }

  get remaining(): number {
    return this.buffer.length - this.position;
  }

  seek(offset: number): void {
    this.position = offset;
  }

  skip(bytes: number): void {
    this.position += bytes;
  }

  /** The next `length` bytes as ASCII (signatures). */
  ascii(length: number): string {
    const text = this.buffer.toString("latin1", this.position, this.position + length);
    this.position += length;
    return text;
  }

  bytes(length: number): Buffer {
    const out = this.buffer.subarray(this.position, this.position + length);
    if (out.length !== length) {
      throw new DataLoadError(this.filePath, messages.formatTruncated(this.filePath, this.position, length));
    }
    this.position += length;
    return out;
  }

  u8(): number {
    const value = this.buffer.readUInt8(this.position);
    this.position += 1;
    return value;
  }

  u16(): number {
    const value = this.buffer.readUInt16LE(this.position);
    this.position += 2;
    return value;
  }

  u32(): number {
    const value = this.buffer.readUInt32LE(this.position);
    this.position += 4;
    return value;
  }

  /** An unsigned integer of 1, 2, 4 or 8 bytes (HDF5's variable-width size fields). */
  uint(width: number): number {
    if (width === 1) return this.u8();
    if (width === 2) return this.u16();
    if (width === 4) return this.u32();
    if (width === 8) return this.u64();
    // Other widths occur in encoded chunk dimensions (layout v4): read them byte by byte.
    let value = 0;
    for (let i = 0; i < width; i++) value += this.u8() * 2 ** (8 * i);
    if (!Number.isSafeInteger(value)) throw new DataLoadError(this.filePath, messages.formatAddressTooLarge(this.filePath));
    return value;
  }

  /** An 8-byte length or count. */
  u64(): number {
    const low = this.u32();
    const high = this.u32();
    if (high > MAX_SAFE_HIGH_WORD) throw new DataLoadError(this.filePath, messages.formatAddressTooLarge(this.filePath));
    return high * 2 ** 32 + low;
  }

  /** An 8-byte file address, or undefined for HDF5's undefined address. */
  address(): number | undefined {
    const low = this.buffer.readUInt32LE(this.position);
    const high = this.buffer.readUInt32LE(this.position + 4);
    if (low === UNDEFINED_HALF && high === UNDEFINED_HALF) {
      this.position += 8;
      return undefined;
    }
    return this.u64();
  }
}
