/**
 * HDF5-like views of in-memory session maps (reference §3.9.3, DictAdapter / ArrayAdapter): extractors walk
 * `unit.get("spike_times_sectioned").get(movie)` the way they would walk HDF5 groups, whether the data came from
 * `loadRecording` or from a file. A missing key is a `MissingInputError` naming the full path and the keys that do
 * exist, so a per-unit warning says exactly what to run first.
 *
 * Like the reference's adapters there are no HDF5 attributes here: everything a session holds is a member.
 */
import { MissingInputError } from "../errors";
import { isNumericArray, isSessionMap, NdArray, type NumericArray, type SessionMap, type SessionValue } from "../hdf5/values";
import { messages } from "./messages";

/** A view of a session map (a group). */
export class MapAdapter {
  private readonly map: Readonly<SessionMap>;
  /** Slash-separated location of this map, e.g. `units/unit_001/spike_times_sectioned`. */
  readonly path: string;

  constructor(map: Readonly<SessionMap>, path = "") {
    this.map = map;
    this.path = path;
  }

  /** The member `key`: a `MapAdapter` for a map, else a `ValueAdapter`. Throws `MissingInputError` if absent. */
  get(key: string): MapAdapter | ValueAdapter {
    const value = this.map[key];
    const where = this.childPath(key);
    if (value === undefined || value === null) throw new MissingInputError(where, messages.missingKey(where, Object.keys(this.map)));
    return isSessionMap(value) ? new MapAdapter(value, where) : new ValueAdapter(value, where);
  }

  /** The member `key`, which must be a map (an HDF5 group). */
  group(key: string): MapAdapter {
    const member = this.get(key);
    if (!(member instanceof MapAdapter)) throw new MissingInputError(member.path, messages.notAMap(member.path));
    return member;
  }

  /** The member `key`, which must be a value (an HDF5 dataset). */
  dataset(key: string): ValueAdapter {
    const member = this.get(key);
    if (!(member instanceof ValueAdapter)) throw new MissingInputError(member.path, messages.notAValue(member.path));
    return member;
  }

  /** Walks a slash-separated path (`"spike_times_sectioned/step_up/trials_start_end"`). */
  resolve(path: string): MapAdapter | ValueAdapter {
    let node: MapAdapter | ValueAdapter = this;
    for (const part of path.split("/").filter((p) => p !== "")) {
      if (!(node instanceof MapAdapter)) throw new MissingInputError(`${node.path}/${part}`, messages.notAMap(node.path));
      node = node.get(part);
    }
    return node;
  }

  /** True when `key` is a member (and not null). */
  has(key: string): boolean {
    const value = this.map[key];
    return value !== undefined && value !== null;
  }

  /** True when {@link resolve} would succeed. */
  hasPath(path: string): boolean {
    let map: Readonly<SessionMap> | undefined = this.map;
    const parts = path.split("/").filter((p) => p !== "");
    for (let i = 0; i < parts.length; i++) {
      const value: SessionValue = map?.[parts[i]];
      if (value === undefined || value === null) return false;
      if (i === parts.length - 1) return true;
      map = isSessionMap(value) ? value : undefined;
    }
    return true;
  }

  /** Member names in storage order. */
  keys(): string[] {
    return Object.keys(this.map).filter((key) => this.has(key));
  }

  /** Members as `[key, raw value]` pairs (not wrapped, as in the reference's `items()`). */
  entries(): Array<[string, SessionValue]> {
    return this.keys().map((key) => [key, this.map[key]]);
  }

  /** The raw value of `key`, or `fallback` when absent (the reference's `get(key, default)`). */
  raw<T extends SessionValue = SessionValue>(key: string, fallback?: T): SessionValue | T | undefined {
    return this.has(key) ? this.map[key] : fallback;
  }

  private childPath(key: string): string {
    return this.path === "" ? key : `${this.path}/${key}`;
  }
}

/** A view of one stored value (a dataset): a typed array, an `NdArray`, a list or a scalar. */
export class ValueAdapter {
  /** The stored value itself. */
  readonly raw: Exclude<SessionValue, SessionMap | null | undefined>;
  readonly path: string;

  constructor(raw: Exclude<SessionValue, SessionMap | null | undefined>, path: string) {
    this.raw = raw;
    this.path = path;
  }

  /** Array shape: an `NdArray`'s shape, `[length]` for a typed array or list, `[]` for a scalar. */
  get shape(): readonly number[] {
    const raw = this.raw;
    if (raw instanceof NdArray) return raw.shape;
    if (isNumericArray(raw) || Array.isArray(raw)) return [(raw as ArrayLike<unknown>).length];
    return [];
  }

  /** Number of elements (1 for a scalar). */
  get size(): number {
    return this.shape.reduce((product, dim) => product * dim, 1);
  }

  /**
   * All values as numbers, flat in C order (the reference's `[:]`): a `Float64Array`/other typed array is returned
   * as it is (no copy), 64-bit integer arrays and lists are converted, a number becomes a one-element array.
   * Throws `MissingInputError` for text or booleans.
   */
  numbers(): ArrayLike<number> {
    const raw = this.raw;
    const data: unknown = raw instanceof NdArray ? raw.data : raw;
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float64Array.from(data, Number);
    if (isNumericArray(data)) return data as Exclude<NumericArray, BigInt64Array | BigUint64Array>;
    if (typeof data === "number") return Float64Array.of(data);
    if (Array.isArray(data) && data.every((v) => typeof v === "number")) return Float64Array.from(data as number[]);
    throw new MissingInputError(this.path, messages.notNumbers(this.path, describe(raw)));
  }

  /**
   * Element `index` of the flat values. For a scalar only index 0 exists (as in the reference). Throws
   * `MissingInputError` when out of range.
   */
  at(index: number): number {
    const values = this.numbers();
    if (!Number.isInteger(index) || index < 0 || index >= values.length) {
      throw new MissingInputError(this.path, messages.indexOutOfRange(this.path, index, values.length));
    }
    return values[index];
  }

  /** The value as one number: a scalar, or the only element of a one-element array (older immediate-mode files). */
  number(): number {
    const values = this.numbers();
    if (values.length !== 1) throw new MissingInputError(this.path, messages.notAScalar(this.path, this.shape));
    return values[0];
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return "text";
  if (typeof value === "boolean") return "a boolean";
  if (Array.isArray(value)) return "a list of non-numbers";
  return typeof value;
}
