import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StateStore } from "./state-store";

class Point {
  constructor(readonly x: number) {}
}

describe("StateStore", () => {
  it("stores and hands out copies", () => {
    const store = new StateStore();
    const value = { coverRange: [-60, 0], note: "ok" };
    store.set("sta", value);
    value.coverRange[0] = -1;
    const got = store.get<{ coverRange: number[] }>("sta")!;
    expect(got).toEqual({ coverRange: [-60, 0], note: "ok" });
    got.coverRange[1] = 99;
    expect(store.get("sta")).toEqual({ coverRange: [-60, 0], note: "ok" });
    expect(store.has("sta")).toBe(true);
    expect(store.keys()).toEqual(["sta"]);
    expect(store.delete("sta")).toBe(true);
    expect(store.delete("sta")).toBe(false);
    expect(store.get("sta")).toBeUndefined();
  });

  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.me = cyclic;
  it.each([
    ["a function", () => 1, /state value 'k' is a function/],
    ["a symbol", Symbol("s"), /is a symbol/],
    ["a BigInt", 10n, /is a bigint/],
    ["a cyclic object", cyclic, /contains a cycle/],
    ["a class instance", new Point(1), /is an instance of Point/],
    ["a Map", new Map(), /is an instance of Map/],
    ["a typed array", new Float32Array(2), /is an instance of Float32Array/],
    ["a nested function", { a: [1, { f: () => 0 }] }, /state value 'k'.a\[1\].f is a function/],
    ["NaN", Number.NaN, /NaN, which JSON cannot represent/],
    ["Infinity", Number.POSITIVE_INFINITY, /Infinity/],
    ["undefined", undefined, /undefined/],
  ])("rejects %s with a TypeError naming the key", (_label, value, message) => {
    const store = new StateStore();
    expect(() => store.set("k", value)).toThrow(TypeError);
    expect(() => store.set("k", value)).toThrow(message);
    expect(() => store.set("k", value)).toThrow(/Cannot store state 'k'/);
    expect(store.has("k")).toBe(false);
  });

  it("rejects empty keys", () => {
    expect(() => new StateStore().set("", 1)).toThrow(TypeError);
  });

  it("round-trips arbitrary JSON values (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.jsonValue(), (key, value) => {
        const store = new StateStore();
        store.set(key, value);
        expect(store.get(key)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(new StateStore(undefined, store.toJSON()).get(key)).toEqual(store.get(key));
      }),
    );
  });
});

describe("StateStore keys that are special in JavaScript", () => {
  it("stores '__proto__' and 'constructor' as ordinary keys, also through toJSON", () => {
    const store = new StateStore();
    store.set("__proto__", { a: 1 });
    store.set("constructor", 2);
    const restored = new StateStore(undefined, store.toJSON());
    expect(restored.get("__proto__")).toEqual({ a: 1 });
    expect(restored.get("constructor")).toBe(2);
    expect(Object.getPrototypeOf(store.toJSON())).toBe(Object.prototype);
  });
});
