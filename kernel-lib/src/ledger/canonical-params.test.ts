import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ErrorCode } from "../errors";
import { canonicalJson, canonicalParams, differingKeys, paramsHash } from "./canonical-params";
import { InvalidParamsError } from "./errors";

/** The same object with its keys inserted in reverse order, at every level. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)]));
  }
  return value;
}

describe("canonicalParams", () => {
  it("treats 1 and 1.0, -0 and 0, typed arrays and arrays, tuples and arrays, key orders as the same", () => {
    const a = { b: 1, a: [1, 2, 3], c: { z: -0, y: new Date("2026-01-01T00:00:00Z") }, d: [0.5, 2] as [number, number] };
    const b = { c: { y: new Date("2026-01-01T00:00:00.000Z"), z: 0.0 }, d: Float64Array.of(0.5, 2), a: Int16Array.of(1, 2, 3), b: 1.0 };
    expect(canonicalJson(canonicalParams(a))).toBe(canonicalJson(canonicalParams(b)));
    expect(paramsHash(a)).toBe(paramsHash(b));
    expect(canonicalJson(canonicalParams(a))).toBe('{"a":[1,2,3],"b":1,"c":{"y":"2026-01-01T00:00:00.000Z","z":0},"d":[0.5,2]}');
  });

  it("keeps booleans apart from numbers, drops undefined members, turns undefined array items into null", () => {
    expect(paramsHash({ x: true })).not.toBe(paramsHash({ x: 1 }));
    expect(canonicalParams({ x: undefined, y: [undefined, 1], z: 10n })).toEqual({ y: [null, 1], z: 10 });
    expect(paramsHash(undefined)).toBe(paramsHash({}));
  });

  it("rejects values with no stable form, naming the key", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ a: { b: Number.NaN } }, "a.b"],
      [{ f: () => 1 }, "f"],
      [{ m: new Map() }, "m"],
      [{ list: [1, Infinity] }, "list.1"],
      [{ s: Symbol("x") }, "s"],
      [{ big: 2n ** 60n }, "big"],
    ];
    for (const [params, key] of cases) {
      try {
        canonicalParams(params);
        expect.unreachable(key);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidParamsError);
        expect((error as InvalidParamsError).code).toBe(ErrorCode.INVALID_PARAMS);
        expect((error as InvalidParamsError).key).toBe(key);
        expect((error as Error).message).toContain(`"${key}"`);
      }
    }
    expect(() => canonicalParams([1, 2] as unknown as Record<string, unknown>)).toThrow(InvalidParamsError);
  });

  it("hash is invariant under key order and typed-array spelling (property)", () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 4 }), tie("value"), { maxKeys: 4 }),
      ),
    }));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 5 }), json.value, { maxKeys: 6 }), fc.array(fc.double({ noNaN: true, noDefaultInfinity: true })), (params, numbers) => {
        const withArray = { ...params, numbers };
        const withTyped = { ...(reversedKeys(params) as Record<string, unknown>), numbers: Float64Array.from(numbers) };
        expect(paramsHash(withTyped)).toBe(paramsHash(withArray));
      }),
      { seed: 20261206, numRuns: 200 },
    );
  });
});

describe("differingKeys", () => {
  it("names keys that differ, are missing or extra, with arrays compared whole", () => {
    const a = canonicalParams({ sta: { coverRange: [-60, 0], bins: 3 }, name: "x", gone: 1 });
    const b = canonicalParams({ sta: { coverRange: [-50, 0], bins: 3.0 }, name: "x", added: true });
    expect(differingKeys(a, b)).toEqual(["added", "gone", "sta.coverRange"]);
    expect(differingKeys(a, a)).toEqual([]);
  });
});
