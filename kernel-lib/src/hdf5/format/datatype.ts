/**
 * The datatype message, read as far as h5wasm's metadata goes: class, size, sign, byte order, string padding and
 * character set, variable-length strings, and the members of an enum. Other classes are kept as their class only
 * (readers give no value for them, as the bridge does).
 */
import type { Dtype } from "../codec";
import type { ByteCursor } from "./file-bytes";

export const CLASS_INTEGER = 0;
export const CLASS_FLOAT = 1;
export const CLASS_STRING = 3;
export const CLASS_ENUM = 8;
export const CLASS_VLEN = 9;
const LAST_CLASS = 10; // array

/** A datatype as h5wasm describes it (`type` is h5wasm's class: variable-length strings are strings). */
export interface Datatype {
  readonly type: number;
  /** Bytes per element on disk (16 for a variable-length string: length, heap address and index). */
  readonly size: number;
  readonly signed: boolean;
  readonly littleEndian: boolean;
  /** Strings: 1 for UTF-8, 0 for ASCII. */
  readonly cset: number;
  readonly vlenString: boolean;
  /** Enums: member name → value, in the type's order, and the base type. */
  readonly enumMembers?: ReadonlyMap<string, number>;
  readonly enumBase?: Datatype;
}

/** Bytes of a variable-length element on disk: sequence length (4), global heap collection address (8), index (4). */
export const VLEN_DISK_BYTES = 16;

/**
 * Reads one datatype from `cursor` (an enum's base type is one nested inside), or undefined when it is one this
 * reader cannot describe exactly (unknown class or version, VAX floats, an enum of non-integers).
 */
export function readDatatype(cursor: ByteCursor): Datatype | undefined {
  const classAndVersion = cursor.u8();
  const typeClass = classAndVersion & 0x0f;
  const version = classAndVersion >> 4;
  const bits0 = cursor.u8();
  const bits1 = cursor.u8();
  cursor.u8();
  const size = cursor.u32();
  // Version 5 (HDF5 2.0, written with libver latest) encodes the classes read here as version 4 does.
  if (version < 1 || version > 5 || typeClass > LAST_CLASS) return undefined;
  if (typeClass === CLASS_INTEGER) {
    cursor.skip(4); // bit offset and precision
    return plain(CLASS_INTEGER, size, { signed: (bits0 & 0x08) !== 0, littleEndian: (bits0 & 0x01) === 0 });
  }
  if (typeClass === CLASS_FLOAT) {
    if ((bits0 & 0x40) !== 0) return undefined; // VAX byte order
    cursor.skip(12);
    return plain(CLASS_FLOAT, size, { signed: true, littleEndian: (bits0 & 0x01) === 0 });
  }
  if (typeClass === CLASS_STRING) return plain(CLASS_STRING, size, { cset: bits0 >> 4 });
  if (typeClass === CLASS_VLEN) {
    const isString = (bits0 & 0x0f) === 1;
    // H5Tget_class calls a variable-length string a string; other sequences stay VLEN.
    return isString ? plain(CLASS_STRING, size, { cset: bits1 & 0x0f, vlenString: true }) : plain(CLASS_VLEN, size, {});
  }
  if (typeClass === CLASS_ENUM) return readEnum(cursor, version, bits0 | (bits1 << 8), size);
  // Other classes: only the class matters (no value is read); their properties are not parsed, so an enum's
  // base type can never be one of them.
  return plain(typeClass, size, {});
}

function plain(type: number, size: number, fields: Partial<Datatype>): Datatype {
  return {
    type,
    size,
    signed: fields.signed ?? false,
    littleEndian: fields.littleEndian ?? true,
    cset: fields.cset ?? 0,
    vlenString: fields.vlenString ?? false,
    enumMembers: fields.enumMembers,
    enumBase: fields.enumBase,
  };
}

function readEnum(cursor: ByteCursor, version: number, count: number, size: number): Datatype | undefined {
  const base = readDatatype(cursor);
  if (base === undefined || base.type !== CLASS_INTEGER || ![1, 2, 4, 8].includes(base.size)) return undefined;
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const start = cursor.offset;
    let end = start;
    while (cursor.buffer[end] !== 0) {
      end++;
      if (end >= cursor.buffer.length) return undefined;
    }
    names.push(cursor.buffer.toString("utf8", start, end));
    // Versions 1 and 2 pad each name (with its terminator) to a multiple of 8 bytes.
    const stored = version >= 3 ? end - start + 1 : Math.ceil((end - start + 1) / 8) * 8;
    cursor.seek(start + stored);
  }
  const members = new Map<string, number>();
  for (const name of names) {
    const bytes = cursor.bytes(base.size);
    // h5wasm converts each value to a C int.
    const value = base.size === 8 ? Number(base.signed ? bytes.readBigInt64LE() : bytes.readBigUInt64LE()) : base.signed ? bytes.readIntLE(0, base.size) : bytes.readUIntLE(0, base.size);
    if (!base.littleEndian) return undefined;
    members.set(name, value);
  }
  return plain(CLASS_ENUM, size, { signed: base.signed, littleEndian: base.littleEndian, enumMembers: members, enumBase: base });
}

/**
 * The codec's dtype for an HDF5 integer, float or string type, or undefined for the types the codec does not read.
 * The class numbers are HDF5's own (H5T_class_t), the same in the datatype message and in h5wasm's metadata, so
 * both readers ask here.
 */
export function dtypeOfClass(datatype: { readonly type: number; readonly size: number; readonly signed: boolean }): Dtype | undefined {
  if (datatype.type === CLASS_STRING) return "string";
  if (datatype.type === CLASS_FLOAT) return datatype.size === 4 ? "float32" : datatype.size === 8 ? "float64" : undefined;
  if (datatype.type !== CLASS_INTEGER) return undefined;
  const bits = datatype.size * 8;
  if (![8, 16, 32, 64].includes(bits)) return undefined;
  return `${datatype.signed ? "int" : "uint"}${bits}` as Dtype;
}
