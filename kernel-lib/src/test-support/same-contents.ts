import { expect } from "vitest";
import { isNumericArray, NdArray } from "../hdf5/values";

/**
 * Deep equality for session contents that compares typed arrays byte for byte (and their types), which is what
 * "loading gives back exactly what was saved" means, and is far faster than `toEqual` on million-element arrays.
 * `ignoreKeys` names map keys left out of the comparison (e.g. timestamps such as `extracted_at`).
 */
export function expectSameContents(actual: unknown, expected: unknown, where = "value", ignoreKeys: readonly string[] = []): void {
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
    const keys = (map: object) => Object.keys(map).filter((key) => !ignoreKeys.includes(key)).sort();
    expect(keys(actual as object), `${where} keys`).toEqual(keys(expected));
    for (const key of keys(expected)) {
      expectSameContents((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${where}.${key}`, ignoreKeys);
    }
    return;
  }
  expect(actual, where).toEqual(expected);
}
