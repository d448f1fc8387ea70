/**
 * fast-check generators of session contents, for the property tests of the session file and of its readers:
 * every typed array (empty ones too), n-d arrays, numbers with NaN and ±Infinity, unicode strings, booleans, nested
 * maps, maps with 12–16 integer-like keys (dense links in the file, read back in numeric key order), and lists of
 * strings, numbers, integers and booleans.
 */
import fc from "fast-check";
import { fitsFloat64 } from "../hdf5/codec";
import { Int64Numbers, keyProblem, NdArray, Uint64Numbers, type SessionMap, type SessionValue } from "../hdf5/values";

export const text = fc.string({ unit: "grapheme", maxLength: 20 }).filter((t) => !t.includes("\u0000"));
export const key = fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }).filter((k) => keyProblem(k) === undefined);
const small = { maxLength: 6 };

const typedArray: fc.Arbitrary<SessionValue> = fc.oneof(
  fc.int8Array(small),
  fc.uint8Array(small),
  fc.int16Array(small),
  fc.uint16Array(small),
  fc.int32Array(small),
  fc.uint32Array(small),
  fc.float32Array(small),
  fc.float64Array(small),
  fc.bigInt64Array(small),
  fc.bigUint64Array(small),
  fc.array(fc.maxSafeInteger(), small).map((values) => Int64Numbers.from(values)),
  fc.array(fc.maxSafeNat(), small).map((values) => Uint64Numbers.from(values)),
);

/**
 * What loading gives back for `value`: the same, except that an int64/uint64 array whose values all fit ±2^53
 * comes back as numbers ({@link Int64Numbers} / {@link Uint64Numbers}, DESIGN §3) whatever array it was saved from.
 */
export function afterLoad(value: SessionValue): SessionValue {
  if (value instanceof BigInt64Array || value instanceof BigUint64Array) {
    if (!fitsFloat64(value)) return value;
    const Numbers = value instanceof BigUint64Array ? Uint64Numbers : Int64Numbers;
    return Numbers.from(value, Number);
  }
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value) || Array.isArray(value) || value instanceof NdArray) return value;
  const out: SessionMap = {};
  for (const [key, child] of Object.entries(value)) out[key] = afterLoad(child);
  return out;
}

const ndArray: fc.Arbitrary<SessionValue> = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
  .chain(([a, b, c]) => fc.float32Array({ minLength: a * b * c, maxLength: a * b * c }).map((data) => new NdArray(data, [a, b, c])));

export const leaf: fc.Arbitrary<SessionValue> = fc.oneof(
  typedArray,
  ndArray,
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  text,
  fc.boolean(),
  fc.array(text, { minLength: 1, maxLength: 4 }),
  fc.array(fc.double(), { maxLength: 4 }),
  fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
  fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 4 }),
);

/** A map with 12–16 integer-like keys ("0", "7", "311", …). */
export const integerKeyMap: fc.Arbitrary<SessionMap> = fc
  .uniqueArray(fc.nat(400), { minLength: 12, maxLength: 16 })
  .chain((keys) => fc.tuple(...keys.map(() => leaf)).map((values) => Object.fromEntries(keys.map((k, i) => [String(k), values[i]]))));

export const { map: nestedMap } = fc.letrec<{ map: SessionMap }>((tie) => ({
  map: fc.dictionary(key, fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("map"), integerKeyMap), { maxKeys: 5 }),
}));
