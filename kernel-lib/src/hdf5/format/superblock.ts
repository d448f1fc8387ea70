/**
 * The HDF5 superblock: where it sits (after an optional user block) and the two facts a raw read needs from it,
 * the base address every other address is relative to and the field widths of offsets and lengths.
 */
import type { FileBytes } from "./file-bytes";

/** The 8 bytes every HDF5 file's superblock starts with. */
export const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
/** HDF5 looks for the superblock at 0, then at 512 and every doubling after it (the user block sizes). */
const FIRST_USER_BLOCK = 512;

/** What the structure parsers need from the superblock. */
export interface Superblock {
  readonly version: number;
  /** Absolute offset that every address in the file is relative to. */
  readonly baseAddress: number;
  /** Address of the root group's object header, relative to the base address. */
  readonly rootAddress: number | undefined;
  /** The end of the file as the writer recorded it, in bytes from the file's start (a shorter file is truncated). */
  readonly endOfFileAddress: number | undefined;
}

/** Where the root group's object header address sits, from the signature, per superblock version. */
const ROOT_ADDRESS_OFFSET: Readonly<Record<number, number>> = { 0: 64, 1: 68, 2: 36, 3: 36 };
/** Where the end-of-file address sits, from the signature, per superblock version. */
const END_OF_FILE_OFFSET: Readonly<Record<number, number>> = { 0: 40, 1: 44, 2: 28, 3: 28 };

/**
 * The file's superblock, or undefined when there is none or it uses offsets or lengths other than 8 bytes (the
 * parsers read 8-byte fields only; every file HDF5 writes by default uses them).
 */
export function readSuperblock(file: FileBytes): Superblock | undefined {
  const location = findSignature(file);
  if (location === undefined) return undefined;
  const head = file.cursor(location, Math.min(16, file.size - location));
  head.skip(SIGNATURE.length);
  const version = head.u8();
  let offsetBytes: number;
  let lengthBytes: number;
  if (version === 0 || version === 1) {
    head.skip(4); // free-space, root symbol table and shared header versions, reserved
    offsetBytes = head.u8();
    lengthBytes = head.u8();
  } else if (version === 2 || version === 3) {
    offsetBytes = head.u8();
    lengthBytes = head.u8();
  } else {
    return undefined;
  }
  if (offsetBytes !== 8 || lengthBytes !== 8) return undefined;
  // The stored base address is not used: like HDF5 itself, a superblock found after a user block makes its own
  // position the base, whatever the field says.
  const root = file.cursor(location + ROOT_ADDRESS_OFFSET[version], 8).address();
  const endOfFile = file.cursor(location + END_OF_FILE_OFFSET[version], 8).address();
  return { version, baseAddress: location, rootAddress: root, endOfFileAddress: endOfFile };
}

function findSignature(file: FileBytes): number | undefined {
  for (let at = 0; at + SIGNATURE.length <= file.size; at = at === 0 ? FIRST_USER_BLOCK : at * 2) {
    if (file.read(at, SIGNATURE.length).equals(SIGNATURE)) return at;
  }
  return undefined;
}
