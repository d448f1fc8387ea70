/**
 * The session's memory estimate (reference §1.2 with §9 #13): every typed array at any depth counts its bytes,
 * strings count two bytes per UTF-16 unit; numbers, booleans and the maps themselves are not counted.
 */
import { isNumericArray, isSessionMap, NdArray, type SessionValue } from "../hdf5/values";

export function estimateBytes(value: SessionValue): number {
  if (typeof value === "string") return value.length * 2;
  if (value === null || typeof value !== "object") return 0;
  if (isNumericArray(value)) return value.byteLength;
  if (value instanceof NdArray) return value.data.byteLength;
  if (Array.isArray(value)) {
    let bytes = 0;
    for (const item of value as readonly unknown[]) if (typeof item === "string") bytes += item.length * 2;
    return bytes;
  }
  if (!isSessionMap(value)) return 0;
  let bytes = 0;
  for (const key in value) bytes += estimateBytes(value[key]);
  return bytes;
}

/** Bytes per part of the session, the shape the session card shows. */
export interface MemoryBreakdown {
  readonly units: number;
  readonly metadata: number;
  readonly stimulus: number;
}
