/**
 * The values a session can hold in its data maps (`units`, `metadata`, `stimulus`, features) and the checks that
 * keep unstorable values out of them. Everything accepted here survives save → load unchanged.
 */

/** Every typed array a session stores one to one as an HDF5 dataset of the same element type. */
export type NumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/**
 * Whole numbers that live in memory as float64 (so `row[0] + 1` works in a cell) and are stored on disk as HDF5
 * int64, as the reference writes them (`unit_meta` fields, `peaks_data` columns, any int64 dataset of a file whose
 * values fit ±2^53). Loading an int64 dataset gives one back, so saving it again keeps the int64 type; `slice`,
 * `map` and `subarray` keep the class. Saving fails with a `SessionError` if a value is no longer a whole number.
 */
export class Int64Numbers extends Float64Array {}

/** As {@link Int64Numbers}, stored as HDF5 uint64 (values must be whole and ≥ 0). */
export class Uint64Numbers extends Float64Array {}

/**
 * An n-dimensional array in C (row-major) order: a flat typed array and its shape, e.g. an STA of
 * 60 × 15 × 15 float32 values. One-dimensional data is kept as a plain typed array.
 */
export class NdArray<T extends NumericArray = NumericArray> {
  readonly data: T;
  readonly shape: readonly number[];

  constructor(data: T, shape: readonly number[]) {
    const size = shape.reduce((product, dim) => product * dim, 1);
    if (shape.some((dim) => !Number.isInteger(dim) || dim < 0) || size !== data.length) {
      throw new TypeError(
        `NdArray shape [${shape.join(", ")}] does not fit ${data.length} elements: give one non-negative integer ` +
          `per dimension whose product is the data length.`,
      );
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }
}

/** A value stored in a session map. `null` and `undefined` entries are skipped when saving. */
export type SessionValue =
  | number
  | string
  | boolean
  | NumericArray
  | NdArray
  | readonly number[]
  | readonly string[]
  | readonly boolean[]
  | SessionMap
  | null
  | undefined;

/** A map of session values; saved as an HDF5 group whose members are the keys. */
export interface SessionMap {
  [key: string]: SessionValue;
}

const SCALAR_INTEGERS = Symbol("hdmea.scalarIntegers");

type ScalarIntegerMarks = Record<string, "int64" | "uint64">;

/**
 * Records that the number at `map[key]` is an int64/uint64 scalar on disk, so that saving writes it with that
 * type again (a loaded reference file's int64 scalars stay int64; a number has no type of its own). The record is
 * a hidden property of the map: it does not show in `Object.keys` and is not copied by spreading.
 */
export function markScalarInteger(map: SessionMap, key: string, dtype: "int64" | "uint64"): void {
  let marks = (map as { [SCALAR_INTEGERS]?: ScalarIntegerMarks })[SCALAR_INTEGERS];
  if (marks === undefined) {
    marks = Object.create(null) as ScalarIntegerMarks;
    Object.defineProperty(map, SCALAR_INTEGERS, { value: marks, enumerable: false });
  }
  marks[key] = dtype;
}

/** The disk integer type recorded for `map[key]` by {@link markScalarInteger}, if any. */
export function scalarIntegerOf(map: SessionMap, key: string): "int64" | "uint64" | undefined {
  return (map as { [SCALAR_INTEGERS]?: ScalarIntegerMarks })[SCALAR_INTEGERS]?.[key];
}

export function isNumericArray(value: unknown): value is NumericArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

export function isSessionMap(value: unknown): value is SessionMap {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The reason a key cannot name an HDF5 member, or `undefined` when it can. */
export function keyProblem(key: string): string | undefined {
  if (key.length === 0) return "it is empty";
  if (key.includes("/")) return "it contains '/', which HDF5 reads as a group separator";
  if (key === "." || key === "..") return "'.' and '..' are reserved HDF5 names";
  if (key === "__proto__") return "'__proto__' is reserved in JavaScript objects";
  if (key.includes("\u0000")) return "it contains a NUL character";
  if (!isWellFormedUnicode(key)) return "it contains an unpaired UTF-16 surrogate";
  return undefined;
}

function isWellFormedUnicode(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return false;
    }
  }
  return true;
}

function stringProblem(text: string): string | undefined {
  if (text.includes("\u0000")) return "a string with a NUL character (HDF5 strings end at NUL)";
  if (!isWellFormedUnicode(text)) return "a string with an unpaired UTF-16 surrogate (not valid UTF-8)";
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
    return `an instance of ${proto?.constructor?.name ?? "an unknown class"}`;
  }
  return `a ${typeof value}`;
}

/**
 * Finds the first value under `value` that a session cannot store, returning a sentence that names its key path,
 * or `undefined` when everything can be stored. Cycles are reported too.
 */
export function findUnstorable(value: unknown, path: string, seen: Set<object> = new Set()): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (typeof value) {
    case "number":
    case "boolean":
      return undefined;
    case "string": {
      const problem = stringProblem(value);
      return problem ? `'${path}' is ${problem}` : undefined;
    }
    case "object":
      break;
    default:
      return `'${path}' is ${describe(value)}, which cannot be stored in HDF5`;
  }
  if (isNumericArray(value)) return undefined;
  if (value instanceof NdArray) return undefined;
  if (Array.isArray(value)) return listProblem(value, path);
  if (!isSessionMap(value)) {
    return (
      `'${path}' is ${describe(value)}; store typed arrays, NdArray, numbers, strings, booleans, ` +
      `lists of one of those, or plain objects of them`
    );
  }
  if (seen.has(value)) return `'${path}' refers back to one of its own parents (a cycle)`;
  seen.add(value);
  for (const [key, child] of Object.entries(value)) {
    const problem = keyProblem(key);
    const childPath = `${path}.${key}`;
    if (problem) return `key '${childPath}' cannot be stored: ${problem}`;
    const childProblem = findUnstorable(child, childPath, seen);
    if (childProblem) return childProblem;
  }
  seen.delete(value);
  return undefined;
}

function listProblem(list: readonly unknown[], path: string): string | undefined {
  if (list.length === 0) return undefined;
  const kind = typeof list[0];
  if (kind !== "number" && kind !== "string" && kind !== "boolean") {
    return `'${path}' is a list of ${describe(list[0])}; lists may hold only numbers, only strings or only booleans`;
  }
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== kind) {
      return `'${path}' mixes ${kind}s and ${describe(list[i])}s; lists must hold one kind of value`;
    }
    if (kind === "string") {
      const problem = stringProblem(list[i] as string);
      if (problem) return `'${path}[${i}]' is ${problem}`;
    }
  }
  return undefined;
}
