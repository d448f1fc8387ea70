import { describe, expect, it } from "vitest";
import { ConfigurationError, ErrorCode } from "../errors";
import { designButterworthHighpass } from "./butterworth";
import { sosfiltfilt, sosfiltfiltColumn } from "./filtfilt";
import * as fs from "fs";
import * as path from "path";
import type { ScipyFixtures } from "./fixtures/scipy-fixtures";
import { sosfiltfiltPadLength } from "./sos";

function loadScipyFixtures(): ScipyFixtures {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "scipy-fixtures.json"), "utf8"));
}

const sos100 = designButterworthHighpass({ order: 2, cutoffHz: 100, samplingRateHz: 20000 });

function float32(values: Float64Array): number[] {
  return Array.from(Float32Array.from(values));
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance: number): void {
  expect(actual.length).toBeGreaterThanOrEqual(expected.length);
  expected.forEach((want, i) => expect(Math.abs(actual[i] - want)).toBeLessThanOrEqual(tolerance));
}

describe("sosfiltfilt — golden A.2", () => {
  it("impulse at 10 in 32 zeros: first 14 values", () => {
    const x = new Float64Array(32);
    x[10] = 1;
    const golden = [
      -0.0139788, -0.0139786, -0.0139643, -0.0139352, -0.0138907, -0.0138302, -0.013753, -0.0136584, -0.0135457,
      -0.0134142, 0.9867368, -0.0130924, -0.0129017, -0.0126911,
    ];
    expectClose(float32(sosfiltfilt({ sos: sos100, signal: x })), golden, 1e-5);
  });

  it("sawtooth (i mod 7)·10 over 40 samples: first 8 and last 3", () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => (i % 7) * 10);
    const y = float32(sosfiltfilt({ sos: sos100, signal: x }));
    expectClose(y, [-2.674177, 6.473687, 15.606842, 24.725491, 33.829815, 42.919971, 51.996094, -8.94173], 1e-5);
    expectClose(y.slice(37), [-23.715691, -15.112891, -6.526619], 1e-5);
  });

  it("ramp 0..9 (length 10, the shortest accepted)", () => {
    const x = Float64Array.from({ length: 10 }, (_, i) => i);
    const golden = [-4.805142, -4.421728, -4.051921, -3.69575, -3.353241, -3.024415, -2.70929, -2.407882, -2.120203, -1.846265];
    expectClose(float32(sosfiltfilt({ sos: sos100, signal: x })), golden, 1e-5);
  });

  it("length 9 is an error: a ConfigurationError naming the length and the minimum", () => {
    const attempt = () => sosfiltfilt({ sos: sos100, signal: new Float64Array(9) });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/9 samples.*padlen = 9.*at least 10 samples/);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigurationError).code).toBe(ErrorCode.CONFIGURATION);
    }
  });
});

describe("sosfiltfilt — against scipy", () => {
  it("uses scipy's default pad length rule", () => {
    expect(sosfiltfiltPadLength({ sos: sos100 })).toBe(9);
    // Odd orders have a first-order section (b2 = a2 = 0), which scipy discounts.
    const sos3 = designButterworthHighpass({ order: 3, cutoffHz: 100, samplingRateHz: 20000 });
    expect(sosfiltfiltPadLength({ sos: sos3 })).toBe(12);
    expect(sosfiltfiltPadLength({ sos: [[1, 0, 0, 1, 0, 0], [1, 2, 1, 1, 0.1, 0.2]] })).toBe(12);
    expect(sosfiltfiltPadLength({ sos: [[1, 2, 0, 1, 0.5, 0.1]] })).toBe(9);
  });

  it("matches scipy.signal.sosfiltfilt on random signals, orders 2–5, float32 and float64 input", () => {
    for (const fixture of loadScipyFixtures().filtered) {
      const sos = designButterworthHighpass(fixture);
      const signal = fixture.dtype === "float32" ? Float32Array.from(fixture.signal) : Float64Array.from(fixture.signal);
      const y = sosfiltfilt({ sos, signal });
      fixture.expected.forEach((want, i) => expect(Math.abs(y[i] - want)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(want))));
    }
  });
});

describe("sosfiltfilt — properties", () => {
  it("a high-pass removes a constant (output ~0)", () => {
    for (const order of [1, 2, 3, 4]) {
      const sos = designButterworthHighpass({ order, cutoffHz: 100, samplingRateHz: 20000 });
      const y = sosfiltfilt({ sos, signal: new Float64Array(500).fill(1234.5) });
      for (const value of y) expect(Math.abs(value)).toBeLessThan(1e-8);
    }
  });

  it("is linear, and time-reversal symmetric away from the edges (zero phase)", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    const a = Float64Array.from({ length: 3000 }, random);
    const b = Float64Array.from({ length: 3000 }, random);
    const sum = a.map((v, i) => 2 * v - 3 * b[i]);
    const ya = sosfiltfilt({ sos: sos100, signal: a });
    const yb = sosfiltfilt({ sos: sos100, signal: b });
    const ySum = sosfiltfilt({ sos: sos100, signal: sum });
    ySum.forEach((v, i) => expect(v).toBeCloseTo(2 * ya[i] - 3 * yb[i], 9));
    const reversed = sosfiltfilt({ sos: sos100, signal: a.slice().reverse() }).reverse();
    // The edge transients differ (the two passes start from different states); they decay within a few hundred
    // samples at 100 Hz / 20 kHz.
    for (let i = 1000; i < 2000; i++) expect(reversed[i]).toBeCloseTo(ya[i], 6);
  });

  it("passes a 2 kHz sine nearly unchanged in the middle of the trace", () => {
    const x = Float64Array.from({ length: 4000 }, (_, i) => Math.sin((2 * Math.PI * 2000 * i) / 20000));
    const y = sosfiltfilt({ sos: sos100, signal: x });
    for (let i = 1000; i < 3000; i++) expect(Math.abs(y[i] - x[i])).toBeLessThan(2e-3);
  });
});

describe("sosfiltfiltColumn", () => {
  it("returns the element type it was given, cast from the float64 result", () => {
    const x = Float32Array.from({ length: 40 }, (_, i) => (i % 7) * 10);
    const y = sosfiltfiltColumn({ sos: sos100, column: x });
    expect(y).toBeInstanceOf(Float32Array);
    expect(Array.from(y)).toEqual(Array.from(Float32Array.from(sosfiltfilt({ sos: sos100, signal: x }))));
    const x64 = Float64Array.from(x);
    const y64 = sosfiltfiltColumn({ sos: sos100, column: x64 });
    expect(y64).toBeInstanceOf(Float64Array);
    expect(Array.from(y64)).toEqual(Array.from(sosfiltfilt({ sos: sos100, signal: x64 })));
  });

  it("can filter in place", () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => (i % 7) * 10);
    const expected = sosfiltfilt({ sos: sos100, signal: x });
    sosfiltfiltColumn({ sos: sos100, column: x, out: x });
    expect(Array.from(x)).toEqual(Array.from(expected));
  });

  it("rejects an output of the wrong length and a too-short column", () => {
    expect(() => sosfiltfiltColumn({ sos: sos100, column: new Float32Array(20), out: new Float32Array(19) })).toThrow(
      ConfigurationError,
    );
    expect(() => sosfiltfiltColumn({ sos: sos100, column: new Float32Array(5) })).toThrow(/5 samples/);
  });
});
