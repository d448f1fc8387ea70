import { describe, expect, it } from "vitest";
import { detectFrameTimestamps } from "./frame-timestamps";

function pulses(count: number, length: number, period: number, start: number, width: number, value: number): Float32Array {
  const signal = new Float32Array(length);
  for (let k = 0; k < count; k++) signal.fill(value, period * k + start, period * k + start + width);
  return signal;
}

describe("detectFrameTimestamps", () => {
  it("golden A.4: 12 square pulses → rising edges, first four dropped", () => {
    const signal = pulses(12, 3996, 333, 50, 100, 1000);
    expect(Array.from(detectFrameTimestamps({ signal }))).toEqual([1381, 1714, 2047, 2380, 2713, 3046, 3379, 3712]);
  });

  it("returns Float64Array sample indices, keeps all when there are at most four, and ignores falling edges", () => {
    const few = detectFrameTimestamps({ signal: pulses(3, 1000, 333, 50, 100, 1000) });
    expect(few).toBeInstanceOf(Float64Array);
    expect(Array.from(few)).toEqual([49, 382, 715]);
    expect(detectFrameTimestamps({ signal: new Float32Array(100) }).length).toBe(0);
  });

  it("is scale-free thanks to the percentile normalisation, and robust to small noise", () => {
    let seed = 3;
    const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.02;
    const clean = pulses(20, 20 * 331 + 200, 331, 100, 150, 1);
    const small = clean.map((v) => v * 0.001 + noise() * 0.001);
    const expected = Array.from({ length: 16 }, (_, k) => 331 * (k + 4) + 99);
    expect(Array.from(detectFrameTimestamps({ signal: small }))).toEqual(expected);
    expect(Array.from(detectFrameTimestamps({ signal: clean, excludeInitialFrames: 0 })).slice(4)).toEqual(expected);
  });
});
