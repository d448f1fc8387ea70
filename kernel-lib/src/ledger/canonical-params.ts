/**
 * The canonical form of run parameters, which resume matching compares: plain JSON with sorted keys, where
 * `1` and `1.0` are one number, `-0` is `0`, typed arrays and tuples are plain arrays, Dates are ISO strings and
 * `undefined` members are left out (as JSON does). Booleans stay booleans (`true` is not `1`). Values with no
 * stable form (functions, symbols, NaN, ±Infinity, class instances, Maps) are rejected with the key that holds them.
 */
import { createHash } from "crypto";
import { InvalidParamsError } from "./errors";
import { messages } from "./messages";

/** A value of canonical parameters: JSON with no `undefined`. */
export type CanonicalValue = null | boolean | number | string | CanonicalValue[] | { [key: string]: CanonicalValue };

/** Canonical run parameters: a plain object with sorted keys. */
export type CanonicalParams = { [key: string]: CanonicalValue };

/** What a caller may pass as run parameters. */
export type RunParams = Record<string, unknown>;

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  const name = (value as object).constructor?.name;
  return name ? `a ${name}` : "an object without prototype";
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function canonicalNumber(value: number, key: string): number {
  if (!Number.isFinite(value)) throw new InvalidParamsError(key, messages.badParamValue(key, String(value)));
  return value === 0 ? 0 : value;
}

function join(key: string, child: string | number): string {
  return key === "" ? String(child) : `${key}.${child}`;
}

/** Canonical form of one value; `key` is its dotted path, for messages. */
export function canonicalValue(value: unknown, key = ""): CanonicalValue {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return canonicalNumber(value, key);
    case "bigint":
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(-Number.MAX_SAFE_INTEGER)) {
        throw new InvalidParamsError(key, messages.badParamValue(key, "a bigint beyond 2^53"));
      }
      return Number(value);
    case "object":
      break;
    default:
      throw new InvalidParamsError(key, messages.badParamValue(key, typeof value));
  }
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((item, index) => (item === undefined ? null : canonicalValue(item, join(key, index))));
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>, (item, index) => canonicalValue(item, join(key, index)));
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidParamsError(key, messages.badParamValue(key, "an invalid Date"));
    return value.toISOString();
  }
  if (!isPlainObject(value)) throw new InvalidParamsError(key, messages.badParamValue(key, kindOf(value)));
  const out: { [key: string]: CanonicalValue } = {};
  for (const name of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[name];
    if (member !== undefined) out[name] = canonicalValue(member, join(key, name));
  }
  return out;
}

/** Canonical form of run parameters (`undefined` → `{}`). */
export function canonicalParams(params: RunParams | undefined): CanonicalParams {
  if (params === undefined) return {};
  if (typeof params !== "object" || params === null || Array.isArray(params) || !isPlainObject(params)) {
    throw new InvalidParamsError("", messages.paramsNotObject(kindOf(params)));
  }
  return canonicalValue(params) as CanonicalParams;
}

/** Compact JSON of canonical parameters; keys are already sorted at every level, so equal params give equal text. */
export function canonicalJson(params: CanonicalParams): string {
  return JSON.stringify(params);
}

/** SHA-256 (hex) of the canonical JSON: the stable key resume matches on. */
export function paramsHash(params: RunParams | undefined): string {
  return createHash("sha256").update(canonicalJson(canonicalParams(params))).digest("hex");
}

function flatten(value: CanonicalValue, key: string, out: Map<string, string>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [name, member] of Object.entries(value)) flatten(member, join(key, name), out);
  } else {
    out.set(key, JSON.stringify(value));
  }
}

/**
 * Dotted keys whose values differ between two canonical parameter sets (present in one only, or unequal), sorted.
 * Arrays compare whole: `coverRange` differs, not `coverRange.0`.
 */
export function differingKeys(a: CanonicalParams, b: CanonicalParams): string[] {
  const left = new Map<string, string>();
  const right = new Map<string, string>();
  flatten(a, "", left);
  flatten(b, "", right);
  const keys = new Set([...left.keys(), ...right.keys()]);
  return [...keys].filter((key) => left.get(key) !== right.get(key)).sort();
}
