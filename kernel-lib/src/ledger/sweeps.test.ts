import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { chain, constants, product, zip } from "./sweeps";

describe("sweeps", () => {
  it("product: every combination, last axis fastest, nested axes become nested params", () => {
    expect([...product({ a: [1, 2], sta: { cover: [[-60, 0], [-40, 0]] } })]).toEqual([
      { a: 1, sta: { cover: [-60, 0] } },
      { a: 1, sta: { cover: [-40, 0] } },
      { a: 2, sta: { cover: [-60, 0] } },
      { a: 2, sta: { cover: [-40, 0] } },
    ]);
    expect([...product({ a: [1], b: [] })]).toEqual([]);
    expect([...product({})]).toEqual([{}]);
  });

  it("zip: the i-th of every axis; unequal lengths are a ConfigurationError naming the axes", () => {
    expect([...zip({ a: [1, 2], b: ["x", "y"] })]).toEqual([{ a: 1, b: "x" }, { a: 2, b: "y" }]);
    expect(() => [...zip({ a: [1, 2], b: ["x"] })]).toThrow(/a: 2, b: 1/);
  });

  it("constants hold arrays as values; chain takes the product and merges; a key set twice is an error", () => {
    const sweep = [...chain(product({ a: [1, 2] }), zip({ sta: { bins: [3, 4] } }), constants({ window: [0, 10], sta: { mode: "mean" } }))];
    expect(sweep).toHaveLength(4);
    expect(sweep[0]).toEqual({ a: 1, sta: { bins: 3, mode: "mean" }, window: [0, 10] });
    expect(sweep[3]).toEqual({ a: 2, sta: { bins: 4, mode: "mean" }, window: [0, 10] });
    expect(() => [...chain(constants({ a: 1 }), product({ a: [2] }))]).toThrow(ConfigurationError);
    expect(() => [...product({ a: 3 as unknown as number[] })]).toThrow(/constants/);
  });
});
