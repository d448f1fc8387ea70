import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { createRandom } from "../simulate/prng";
import { fitGaussian2d, gaussian2dAt, initialGaussian, type Gaussian2d } from "./gaussian-fit";

function render(g: Gaussian2d, height: number, width: number, noise = 0, seed = 1): Float64Array {
  const random = createRandom(seed);
  const map = new Float64Array(height * width);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) map[y * width + x] = gaussian2dAt(g, x, y) + noise * random.normal();
  return map;
}

describe("fitGaussian2d", () => {
  it("recovers a rotated elongated Gaussian exactly from a clean map", () => {
    const truth: Gaussian2d = { centerX: 6.3, centerY: 8.7, sigmaMajor: 2.2, sigmaMinor: 1.1, angleRad: 0.6, amplitude: 30, offset: 4 };
    const fit = fitGaussian2d({ map: render(truth, 15, 15), height: 15, width: 15 });
    expect(fit.converged).toBe(true);
    expect(fit.centerX).toBeCloseTo(6.3, 5);
    expect(fit.centerY).toBeCloseTo(8.7, 5);
    expect(fit.sigmaMajor).toBeCloseTo(2.2, 5);
    expect(fit.sigmaMinor).toBeCloseTo(1.1, 5);
    expect(fit.angleRad).toBeCloseTo(0.6, 5);
    expect(fit.amplitude).toBeCloseTo(30, 4);
    expect(fit.offset).toBeCloseTo(4, 4);
    expect(fit.rSquared).toBeCloseTo(1, 8);
  });

  it("fits a negative (OFF) blob on a non-square map, major axis along y", () => {
    const truth: Gaussian2d = { centerX: 3.2, centerY: 10.4, sigmaMajor: 1.8, sigmaMinor: 0.9, angleRad: Math.PI / 2, amplitude: -12, offset: 0 };
    const fit = fitGaussian2d({ map: render(truth, 20, 8), height: 20, width: 8 });
    expect(fit.amplitude).toBeCloseTo(-12, 3);
    expect(fit.centerX).toBeCloseTo(3.2, 4);
    expect(fit.centerY).toBeCloseTo(10.4, 4);
    expect(Math.abs(Math.abs(fit.angleRad) - Math.PI / 2)).toBeLessThan(1e-4);
    expect(fit.sigmaMajor).toBeGreaterThanOrEqual(fit.sigmaMinor);
    expect(fit.angleRad).toBeGreaterThan(-Math.PI / 2);
    expect(fit.angleRad).toBeLessThanOrEqual(Math.PI / 2);
  });

  it("stays within a quarter pixel on noisy maps (SNR 20) (seeded, 20 maps)", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = createRandom(seed + 100);
      const truth: Gaussian2d = {
        centerX: 3 + 9 * r.uniform(),
        centerY: 3 + 9 * r.uniform(),
        sigmaMajor: 1.6,
        sigmaMinor: 1.0,
        angleRad: r.uniform() * 3 - 1.5,
        amplitude: r.uniform() < 0.5 ? 20 : -20,
        offset: 0,
      };
      const fit = fitGaussian2d({ map: render(truth, 15, 15, 1, seed), height: 15, width: 15 });
      expect(Math.hypot(fit.centerX - truth.centerX, fit.centerY - truth.centerY)).toBeLessThan(0.25);
      expect(fit.sigmaMajor / 1.6).toBeGreaterThan(0.8);
      expect(fit.sigmaMinor / 1.0).toBeLessThan(1.2);
      expect(fit.rSquared).toBeGreaterThan(0.8);
    }
  });

  it("leaves NaN pixels out and reports a low R² for pure noise", () => {
    const truth: Gaussian2d = { centerX: 7, centerY: 7, sigmaMajor: 1.5, sigmaMinor: 1.5, angleRad: 0, amplitude: 10, offset: 0 };
    const map = render(truth, 15, 15);
    map[0] = NaN;
    map[17] = NaN;
    expect(fitGaussian2d({ map, height: 15, width: 15 }).centerX).toBeCloseTo(7, 5);
    const noise = render({ ...truth, amplitude: 0 }, 15, 15, 1, 3);
    expect(fitGaussian2d({ map: noise, height: 15, width: 15 }).rSquared).toBeLessThan(0.3);
  });

  it("starts from the moments around the extreme value", () => {
    const truth: Gaussian2d = { centerX: 4, centerY: 9, sigmaMajor: 1.2, sigmaMinor: 1.2, angleRad: 0, amplitude: -5, offset: 1 };
    const start = initialGaussian(render(truth, 15, 15), 15, 15);
    expect(start.amplitude).toBeLessThan(0);
    expect(Math.hypot(start.centerX - 4, start.centerY - 9)).toBeLessThan(0.2);
  });

  it("rejects a map that does not match its shape", () => {
    expect(() => fitGaussian2d({ map: new Float64Array(10), height: 3, width: 3 })).toThrow(ConfigurationError);
  });
});
