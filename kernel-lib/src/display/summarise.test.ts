import { describe, expect, it } from "vitest";
import { summariseParams } from "./summarise";

describe("summariseParams", () => {
  it("keeps small parameters as they are", () => {
    const params = { coverRange: [-60, 0], movie: "noise", overwrite: true, rate: 20_000, none: null, nested: { a: [1, 2] } };
    expect(summariseParams(params, 400)).toEqual(params);
  });

  it("cuts long texts and arrays and describes deep values, within the budget", () => {
    const params = {
      ids: Array.from({ length: 50 }, (_, i) => i),
      note: "x".repeat(1000),
      deep: { a: { b: { c: { d: { e: 1 } } } } },
      map: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i])),
    };
    const summary = summariseParams(params, 400);
    expect(JSON.stringify(summary).length).toBeLessThanOrEqual(400);
    expect(Object.keys(summary)).toEqual(["ids", "note", "deep", "map"]);
    const ids = summary.ids as (number | string)[];
    expect(ids[ids.length - 1]).toBe(`… ${50 - (ids.length - 1)} more`);
    expect(ids.slice(0, -1)).toEqual(Array.from({ length: ids.length - 1 }, (_, i) => i));
    expect((summary.note as string).endsWith("…")).toBe(true);
  });

  it("describes nested values at the least detail, and leaves out trailing parameters that still do not fit", () => {
    const params = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`parameter_${i}`, { list: [1, 2, 3], text: "t".repeat(50) }]));
    const summary = summariseParams(params, 300);
    expect(JSON.stringify(summary).length).toBeLessThanOrEqual(300);
    expect(summary.parameter_0).toBe("{2 keys}");
    const kept = Object.keys(summary).filter((key) => key !== "…");
    expect(summary["…"]).toBe(`${40 - kept.length} more parameters`);
    expect(kept.length).toBeGreaterThan(0);
  });
});
