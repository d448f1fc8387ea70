import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { designButterworthHighpass, sosfiltZi } from "./butterworth";
import * as fs from "fs";
import * as path from "path";
import type { ScipyFixtures } from "./fixtures/scipy-fixtures";

function loadScipyFixtures(): ScipyFixtures {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "scipy-fixtures.json"), "utf8"));
}

describe("designButterworthHighpass", () => {
  it("reproduces golden A.1 (order 2, 100 Hz at 20 kHz) to 1e-12", () => {
    const sos = designButterworthHighpass({ order: 2, cutoffHz: 100, samplingRateHz: 20000 });
    const golden = [0.9780304792065597, -1.9560609584131194, 0.9780304792065597, 1.0, -1.9555782403150352, 0.9565436765112031];
    expect(sos).toHaveLength(1);
    sos[0].forEach((value, i) => expect(Math.abs(value - golden[i])).toBeLessThan(1e-12));
  });

  it("matches the textbook bilinear biquad of reference §3.10.1", () => {
    const K = Math.tan((Math.PI * 100) / 20000);
    const g = 1 / (1 + Math.SQRT2 * K + K * K);
    const [b0, b1, b2, a0, a1, a2] = designButterworthHighpass({ order: 2, cutoffHz: 100, samplingRateHz: 20000 })[0];
    expect([b0, b1, b2, a0]).toEqual([expect.closeTo(g, 14), expect.closeTo(-2 * g, 14), expect.closeTo(g, 14), 1]);
    expect(a1).toBeCloseTo(2 * (K * K - 1) * g, 14);
    expect(a2).toBeCloseTo((1 - Math.SQRT2 * K + K * K) * g, 14);
  });

  it("equals scipy's butter(..., 'highpass', output='sos') for orders 1–8 (committed scipy fixtures)", () => {
    const { designs } = loadScipyFixtures();
    expect(designs.length).toBeGreaterThan(20);
    for (const fixture of designs) {
      const sos = designButterworthHighpass(fixture);
      expect(sos.length).toBe(fixture.sos.length);
      sos.forEach((section, s) =>
        section.forEach((value, i) => {
          const want = fixture.sos[s][i];
          expect(Math.abs(value - want)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(want)));
        }),
      );
    }
  });

  it("has unit gain at Nyquist and zero gain at DC (property)", () => {
    for (const order of [1, 2, 3, 4, 7]) {
      const sos = designButterworthHighpass({ order, cutoffHz: 250, samplingRateHz: 20000 });
      const gainAt = (z: number) =>
        sos.reduce((g, [b0, b1, b2, a0, a1, a2]) => g * ((b0 + b1 * z + b2 * z * z) / (a0 + a1 * z + a2 * z * z)), 1);
      expect(Math.abs(gainAt(-1))).toBeCloseTo(1, 10);
      expect(Math.abs(gainAt(1))).toBeLessThan(1e-12);
    }
  });

  it("rejects bad orders, rates and cutoffs with a ConfigurationError naming the parameter", () => {
    expect(() => designButterworthHighpass({ order: 0, cutoffHz: 100, samplingRateHz: 20000 })).toThrow(/filterOrder/);
    expect(() => designButterworthHighpass({ order: 2.5, cutoffHz: 100, samplingRateHz: 20000 })).toThrow(
      ConfigurationError,
    );
    expect(() => designButterworthHighpass({ order: 2, cutoffHz: 10000, samplingRateHz: 20000 })).toThrow(
      /cutoffHz.*Nyquist frequency \(10000 Hz\)/,
    );
    expect(() => designButterworthHighpass({ order: 2, cutoffHz: 0, samplingRateHz: 20000 })).toThrow(ConfigurationError);
    expect(() => designButterworthHighpass({ order: 2, cutoffHz: 100, samplingRateHz: -1 })).toThrow(/samplingRateHz/);
  });
});

describe("sosfiltZi", () => {
  it("reproduces golden A.1 sosfilt_zi to 1e-12", () => {
    const sos = designButterworthHighpass({ order: 2, cutoffHz: 100, samplingRateHz: 20000 });
    const [[z0, z1]] = sosfiltZi({ sos });
    expect(Math.abs(z0 - -0.9780304792065749)).toBeLessThan(1e-12);
    expect(Math.abs(z1 - 0.9780304792065743)).toBeLessThan(1e-12);
  });

  it("equals scipy's sosfilt_zi for multi-section filters", () => {
    for (const fixture of loadScipyFixtures().designs) {
      const zi = sosfiltZi({ sos: fixture.sos });
      zi.forEach((pair, s) =>
        pair.forEach((value, i) => {
          const want = fixture.zi[s][i];
          expect(Math.abs(value - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
        }),
      );
    }
  });

  it("is the steady state: filtering a constant from zi·x0 leaves the state unchanged", () => {
    const sos = designButterworthHighpass({ order: 4, cutoffHz: 300, samplingRateHz: 20000 });
    const zi = sosfiltZi({ sos });
    const state = zi.map(([a, b]) => [a * 3, b * 3]);
    let x = 3;
    sos.forEach(([b0, b1, b2, , a1, a2], s) => {
      const y = b0 * x + state[s][0];
      const next0 = b1 * x - a1 * y + state[s][1];
      const next1 = b2 * x - a2 * y;
      expect(next0).toBeCloseTo(state[s][0], 10);
      expect(next1).toBeCloseTo(state[s][1], 10);
      x = y;
    });
  });

  it("rejects sections that are not normalised", () => {
    expect(() => sosfiltZi({ sos: [[1, 0, 0, 2, 0, 0]] })).toThrow(ConfigurationError);
    expect(() => sosfiltZi({ sos: [] })).toThrow(/no second-order sections/);
  });
});
