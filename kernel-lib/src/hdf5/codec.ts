/**
 * The one place where session values become HDF5 payloads and back (DESIGN §4). `encodeValue` turns a value
 * into an element type, a shape and flat data; `decodeValue` turns what was read back into the value. The layout
 * schema decides the few paths whose disk type differs from the memory type; no other module converts types.
 */
import { SessionError } from "../errors";
import { CURRENT_SCHEME, type ValueChecksum } from "./digest";
import { messages } from "./messages";
import { BOOLEAN_ATTRIBUTES, HdmeaType, ruleFor, type DiskInteger } from "./schema";
import { Int64Numbers, NdArray, Uint64Numbers, isNumericArray, type NumericArray, type SessionValue } from "./values";

/** HDF5 element types the codec writes and reads. */
export type Dtype =
  | "int8"
  | "uint8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "int64"
  | "uint64"
  | "float32"
  | "float64"
  | "string";

/** What is written for one value: flat data, shape (`[]` for a scalar), element type and an optional type tag. */
export interface Encoded {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  /** Strings as a list, numbers as a typed array of `dtype`, or arrays of whole numbers still held as float64. */
  readonly data: NumericArray | readonly string[] | WholeNumbers;
  readonly hdmeaType?: HdmeaType;
}

/** What was read back for one dataset or attribute, before decoding. */
export interface Raw {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  /** Flat data; strings as a list, numbers as a typed array (int64 as BigInt64Array, uint64 as BigUint64Array). */
  readonly data: NumericArray | readonly string[];
  readonly hdmeaType?: string;
  /** True when the HDF5 type is h5py's boolean enum. */
  readonly isEnumBool?: boolean;
  /**
   * The checksum of the bytes of `data` under a record format's scheme (`digest.ts`), when the reader computed it
   * as the bytes arrived, so that the integrity check need not make a second pass over them.
   */
  readonly checksum?: ValueChecksum;
}

/** The typed array of each numeric dtype (int64 as BigInt64Array, uint64 as BigUint64Array). */
export const TYPED_ARRAY_OF: Readonly<Record<Exclude<Dtype, "string">, new (buffer: ArrayBuffer, byteOffset?: number, length?: number) => NumericArray>> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
};

const ARRAY_DTYPE: Readonly<Record<string, Exclude<Dtype, "string">>> = {
  Int8Array: "int8",
  Uint8Array: "uint8",
  Int16Array: "int16",
  Uint16Array: "uint16",
  Int32Array: "int32",
  Uint32Array: "uint32",
  Float32Array: "float32",
  Float64Array: "float64",
  BigInt64Array: "int64",
  BigUint64Array: "uint64",
};

const TWO_POW_32 = 2 ** 32;
const TWO_POW_53 = 2 ** 53;
const TWO_POW_21 = 2 ** 21;

/** A number an int64 can hold exactly and give back unchanged (−0 would come back as +0). */
function isWholeNumber(value: number): boolean {
  return Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) <= TWO_POW_53;
}

/** The element type a typed array is stored as, one to one. */
export function dtypeOf(array: NumericArray): Exclude<Dtype, "string"> {
  const integer = diskIntegerOf(array);
  if (integer !== undefined) return integer;
  const dtype = ARRAY_DTYPE[array.constructor.name];
  if (dtype === undefined) throw new TypeError(`unsupported typed array ${array.constructor.name}`);
  return dtype;
}

/** The on-disk integer type of an {@link Int64Numbers} / {@link Uint64Numbers}, undefined for other arrays. */
function diskIntegerOf(array: NumericArray): DiskInteger | undefined {
  if (array instanceof Int64Numbers) return "int64";
  if (array instanceof Uint64Numbers) return "uint64";
  return undefined;
}

/**
 * Encodes one non-map value stored at `path` (segments from the file root). Throws `SessionError` naming the path
 * when a value that the schema stores as integers is not made of whole numbers in range. `scalarInteger` is the
 * disk type a number had when it was loaded (so an int64 scalar of a reference file stays int64 when saved again).
 */
export function encodeValue(
  value: Exclude<SessionValue, null | undefined | Record<string, unknown>>,
  path: readonly string[],
  scalarInteger?: DiskInteger,
): Encoded {
  const rule = ruleFor(path);
  if (typeof value === "number") {
    const integer = rule?.dtype ?? scalarInteger;
    if (integer !== undefined && isWholeNumber(value)) return integerPayload(Float64Array.of(value), [], integer, path);
    return { dtype: "float64", shape: [], data: Float64Array.of(value) };
  }
  if (typeof value === "string") return { dtype: "string", shape: [], data: [value] };
  if (typeof value === "boolean") {
    return { dtype: "int8", shape: [], data: Int8Array.of(value ? 1 : 0), hdmeaType: HdmeaType.BOOL };
  }
  if (value instanceof NdArray) return encodeArray(value.data, value.shape, path);
  if (isNumericArray(value)) return encodeArray(value, [value.length], path);
  return encodeList(value, path);
}

function encodeArray(data: NumericArray, shape: readonly number[], path: readonly string[]): Encoded {
  const rule = ruleFor(path);
  const integer = diskIntegerOf(data);
  if (integer !== undefined) return wholeNumbersPayload(data as Float64Array, shape, integer, path);
  if (rule?.kind === "sampleIndex" && data instanceof Float64Array) {
    return wholeNumbersPayload(data, shape, rule.dtype, path);
  }
  return { dtype: dtypeOf(data), shape, data };
}

function encodeList(list: readonly (number | string | boolean)[], path: readonly string[]): Encoded {
  const shape = [list.length];
  if (list.length > 0 && typeof list[0] === "string") return { dtype: "string", shape, data: list as readonly string[] };
  if (list.length > 0 && typeof list[0] === "boolean") {
    return { dtype: "int8", shape, data: Int8Array.from(list, (b) => (b ? 1 : 0)), hdmeaType: HdmeaType.BOOL };
  }
  const numbers = Float64Array.from(list as readonly number[]);
  const rule = ruleFor(path);
  if (rule && numbers.every(isWholeNumber)) {
    return { ...integerPayload(numbers, shape, rule.dtype, path), hdmeaType: HdmeaType.LIST };
  }
  return { dtype: "float64", shape, data: numbers, hdmeaType: HdmeaType.LIST };
}

/** Whole numbers held as float64 → the bytes of int64/uint64, without a BigInt per element. */
function integerPayload(values: Float64Array, shape: readonly number[], dtype: DiskInteger, path: readonly string[]): Encoded {
  checkWholeNumbers(values, dtype, path);
  return { dtype, shape, data: new WholeNumbers(values, dtype).toArray() };
}

/** An array of whole numbers for an int64/uint64 dataset, checked now, converted where it is written. */
function wholeNumbersPayload(values: Float64Array, shape: readonly number[], dtype: DiskInteger, path: readonly string[]): Encoded {
  checkWholeNumbers(values, dtype, path);
  return { dtype, shape, data: new WholeNumbers(values, dtype) };
}

/** Throws SessionError naming `path` and the element unless every value is a whole number an int64/uint64 holds. */
function checkWholeNumbers(values: Float64Array, dtype: DiskInteger, path: readonly string[]): void {
  const min = dtype === "uint64" ? 0 : -TWO_POW_53;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // Sample indices are whole numbers below 2^32 (60 hours at 20 kHz): one comparison checks both.
    if (v >>> 0 === v) continue;
    if (!Number.isInteger(v) || v < min || v > TWO_POW_53) {
      throw new SessionError(messages.notWholeNumber(path.join("/"), i, v, dtype));
    }
  }
}

/** Elements [start, start + count) of checked whole numbers as int64/uint64 words (low, high) into `words`. */
function convertWholeNumbers(values: Float64Array, start: number, count: number, words: Uint32Array): void {
  for (let i = 0; i < count; i++) {
    const v = values[start + i];
    if (v >>> 0 === v) {
      words[2 * i] = v;
      words[2 * i + 1] = 0;
    } else {
      const high = Math.floor(v / TWO_POW_32);
      words[2 * i] = v - high * TWO_POW_32;
      words[2 * i + 1] = high;
    }
  }
}

/**
 * Whole numbers held as float64 (sample indices, {@link Int64Numbers}) that are stored as int64/uint64, converted
 * piece by piece where they are written: a save never holds a second, integer copy of its spike trains (memory
 * first touched on every save, and slow to touch on a VM).
 */
export class WholeNumbers {
  private checksum: string | undefined;

  constructor(readonly values: Float64Array, readonly dtype: DiskInteger) {}

  get byteLength(): number {
    return this.values.length * 8;
  }

  /**
   * Hands the int64/uint64 bytes to `use` piece by piece, converted into `scratch` (reused for the next piece: `use`
   * must be done with one when it returns), and notes their checksum (`digest.ts`, the current scheme) on the way.
   */
  eachPiece(scratch: Uint32Array, use: (bytes: Uint8Array) => void): void {
    const perPiece = Math.max(1, Math.floor(scratch.length / 2));
    const checksum = CURRENT_SCHEME.start(this.byteLength);
    for (let start = 0; start < this.values.length; start += perPiece) {
      const count = Math.min(perPiece, this.values.length - start);
      convertWholeNumbers(this.values, start, count, scratch);
      const bytes = new Uint8Array(scratch.buffer, scratch.byteOffset, count * 8);
      checksum.update(bytes);
      use(bytes);
    }
    this.checksum = checksum.hex();
  }

  /** The checksum of the int64/uint64 bytes under the current scheme (the integrity record's). */
  checksumHex(): string {
    if (this.checksum === undefined) this.eachPiece(new Uint32Array(2 * 8192), () => undefined);
    return this.checksum as string;
  }

  /** All of them as int64/uint64 (for writers that take whole arrays). */
  toArray(): BigInt64Array | BigUint64Array {
    const words = new Uint32Array(this.values.length * 2);
    convertWholeNumbers(this.values, 0, this.values.length, words);
    return this.dtype === "uint64" ? new BigUint64Array(words.buffer) : new BigInt64Array(words.buffer);
  }
}

/**
 * int64/uint64 bytes → float64 numbers, exact up to 2^53, without a BigInt per element. Converts in place (each
 * element's 8 bytes are read, then overwritten with its float64), so a freshly read array costs no second buffer.
 */
export function int64ToFloat64(data: BigInt64Array | BigUint64Array): Float64Array {
  const words = new Uint32Array(data.buffer, data.byteOffset, data.length * 2);
  const out = new Float64Array(data.buffer, data.byteOffset, data.length);
  const n = data.length;
  if (data instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) out[i] = words[2 * i] + (words[2 * i + 1] | 0) * TWO_POW_32;
  } else {
    for (let i = 0; i < n; i++) out[i] = words[2 * i] + words[2 * i + 1] * TWO_POW_32;
  }
  return out;
}

/** True when every int64/uint64 value is within ±2^53, so a float64 holds it exactly. */
export function fitsFloat64(data: BigInt64Array | BigUint64Array): boolean {
  const words = new Uint32Array(data.buffer, data.byteOffset, data.length * 2);
  const signed = data instanceof BigInt64Array;
  for (let i = 0; i < data.length; i++) {
    const high = signed ? words[2 * i + 1] | 0 : words[2 * i + 1];
    const low = words[2 * i];
    // value = high·2^32 + low with 0 ≤ low < 2^32: within [−2^53, 2^53] iff high ≥ −2^21 and (high, low) ≤ (2^21, 0).
    if (high < -TWO_POW_21 || high > TWO_POW_21 || (high === TWO_POW_21 && low !== 0)) return false;
  }
  return true;
}

/** Decodes a dataset read from `path`. Scalars (shape `[]`) become numbers, strings or booleans. */
export function decodeValue(raw: Raw, path: readonly string[]): SessionValue {
  const isBool = raw.isEnumBool === true || (raw.hdmeaType === HdmeaType.BOOL && raw.dtype !== "string");
  if (raw.dtype === "string") {
    const strings = raw.data as readonly string[];
    return raw.shape.length === 0 ? strings[0] : [...strings];
  }
  let data = raw.data as NumericArray;
  if (isBool) {
    const flags = Array.from(data as ArrayLike<number | bigint>, (x) => Number(x) !== 0);
    return raw.shape.length === 0 ? flags[0] : flags;
  }
  const rule = ruleFor(path);
  const isWide = data instanceof BigInt64Array || data instanceof BigUint64Array;
  if (isWide && (raw.shape.length === 0 || raw.hdmeaType === HdmeaType.LIST || rule !== undefined)) {
    data = int64ToFloat64(data as BigInt64Array | BigUint64Array);
  } else if (isWide && fitsFloat64(data as BigInt64Array | BigUint64Array)) {
    // DESIGN §3: integers come back as numbers; the class remembers the disk type for the next save.
    const numbers = int64ToFloat64(data as BigInt64Array | BigUint64Array);
    const Numbers = data instanceof BigUint64Array ? Uint64Numbers : Int64Numbers;
    data = new Numbers(numbers.buffer, numbers.byteOffset, numbers.length);
  }
  if (raw.shape.length === 0) return Number((data as ArrayLike<number | bigint>)[0]);
  // Counters and ranges at known integer paths (`cover_range`, …) are plain number lists in memory.
  if (raw.hdmeaType === HdmeaType.LIST || (rule?.kind === "integer" && raw.shape.length === 1)) {
    return Array.from(data as ArrayLike<number | bigint>, Number);
  }
  if (raw.shape.length === 1) return data;
  return new NdArray(data, raw.shape);
}

/** Decodes an attribute: numbers and strings stay scalars, numeric arrays become lists. */
export function decodeAttribute(raw: Raw, name: string): SessionValue {
  if (raw.dtype === "string") {
    const strings = raw.data as readonly string[];
    return raw.shape.length === 0 ? strings[0] : [...strings];
  }
  const values = Array.from(raw.data as ArrayLike<number | bigint>, Number);
  if (raw.isEnumBool === true || BOOLEAN_ATTRIBUTES.has(name)) {
    const flags = values.map((x) => x !== 0);
    return raw.shape.length === 0 ? flags[0] : flags;
  }
  return raw.shape.length === 0 ? values[0] : values;
}


/** Encodes a group attribute (numbers, strings, lists of them). Booleans by name in the schema are int8. */
export function encodeAttribute(value: number | string | boolean | readonly number[] | readonly string[], path: readonly string[]): Encoded {
  if (typeof value === "boolean") return { dtype: "int8", shape: [], data: Int8Array.of(value ? 1 : 0) };
  if (typeof value === "string") return { dtype: "string", shape: [], data: [value] };
  const rule = ruleFor(path);
  if (typeof value === "number") {
    if (rule && isWholeNumber(value)) return integerPayload(Float64Array.of(value), [], rule.dtype, path);
    return { dtype: "float64", shape: [], data: Float64Array.of(value) };
  }
  if (value.length > 0 && typeof value[0] === "string") return { dtype: "string", shape: [value.length], data: value as readonly string[] };
  const numbers = Float64Array.from(value as readonly number[]);
  if (numbers.every(isWholeNumber)) {
    return integerPayload(numbers, [numbers.length], "int64", path);
  }
  return { dtype: "float64", shape: [numbers.length], data: numbers };
}
