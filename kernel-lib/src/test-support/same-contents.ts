import { expect } from "vitest";
import { isNumericArray, NdArray } from "../hdf5/values";

/**
 * Deep equality for session contents that compares typed arrays byte for byte (and their types), which is what
 * "loading gives back exactly what was saved" means, and is far faster than `toEqual` on million-element arrays.
 */
export function expectSameContents(actual: unknown, expected: unknown, where = "value"): void {
  if (isNumericArray(expected)) {
    expect(actual?.constructor, `${where} type`).toBe(expected.constructor);
    const a = actual as typeof expected;
    expect(a.length, `${where} length`).toBe(expected.length);
    const same = Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength));
    expect(same, `${where} bytes`).toBe(true);
    return;
  }
  if (expected instanceof NdArray) {
    expect(actual, `${where} kind`).toBeInstanceOf(NdArray);
    expect((actual as NdArray).shape, `${where} shape`).toEqual(expected.shape);
    expectSameContents((actual as NdArray).data, expected.data, `${where}.data`);
    return;
  }
  if (typeof expected === "object" && expected !== null && !Array.isArray(expected)) {
    expect(typeof actual === "object" && actual !== null, `${where} is a map`).toBe(true);
    expect(Object.keys(actual as object).sort(), `${where} keys`).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) {
      expectSameContents((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
    }
    return;
  }
  expect(actual, where).toEqual(expected);
}
