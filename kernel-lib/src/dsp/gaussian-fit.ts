/**
 * A rotated 2-D Gaussian plus offset fitted to a map by Levenberg–Marquardt (least squares):
 *
 *   f(x, y) = amplitude · exp(−½ (u²/σ_major² + v²/σ_minor²)) + offset,
 *   u = cos θ·(x − x0) + sin θ·(y − y0),  v = −sin θ·(x − x0) + cos θ·(y − y0)
 *
 * initialised from the map's moments around its extreme value (so a negative, OFF-type blob is fitted as a
 * negative amplitude), with the analytic Jacobian. x is the column index, y the row index, both in pixels, pixel
 * centres at whole numbers.
 */
import { ConfigurationError } from "../errors";
import { messages } from "./messages";

/** A fitted 2-D Gaussian. */
export interface Gaussian2d {
  /** Centre, column (x) and row (y) in pixels, pixel centres at whole numbers. */
  centerX: number;
  centerY: number;
  /** Standard deviations along the major and minor axes, pixels (major ≥ minor). */
  sigmaMajor: number;
  sigmaMinor: number;
  /** Angle of the major axis from the +x (column) axis towards +y (row), radians in (−π/2, π/2]. */
  angleRad: number;
  /** Peak height above the offset (negative for an OFF-type blob). */
  amplitude: number;
  offset: number;
}

/** The fit and how well it explains the map. */
export interface Gaussian2dFit extends Gaussian2d {
  /** 1 − SS_residual / SS_total over the map (1 = perfect; ≤ 0 = no better than a flat map). */
  rSquared: number;
  iterations: number;
  /** Whether the relative improvement fell below the tolerance before `maxIterations`. */
  converged: boolean;
}

/** Options of {@link fitGaussian2d}. */
export interface FitGaussian2dOptions {
  /** Row-major map, `height × width` values. NaNs are left out of the fit. */
  map: ArrayLike<number>;
  height: number;
  width: number;
  /** Starting point; default from the moments around the map's extreme value. */
  initial?: Gaussian2d;
  /** Default 100. */
  maxIterations?: number;
}

const PARAMETERS = 7;
const MIN_SIGMA = 0.15;

/** Fits a rotated 2-D Gaussian plus offset to `map`. @throws ConfigurationError when the shape does not fit the map. */
export function fitGaussian2d(options: FitGaussian2dOptions): Gaussian2dFit {
  const { map, height, width } = options;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1 || map.length !== height * width) {
    throw new ConfigurationError(messages.mapShape(map.length, height, width));
  }
  const start = options.initial ?? initialGaussian(map, height, width);
  let p = toVector(start);
  let cost = residualCost(map, height, width, p);
  let lambda = 1e-3;
  let iterations = 0;
  let converged = false;
  const maxIterations = options.maxIterations ?? 100;
  while (iterations < maxIterations) {
    iterations++;
    const { jtj, jtr } = normalEquations(map, height, width, p);
    let improved = false;
    for (let attempt = 0; attempt < 12; attempt++) {
      const a = jtj.slice();
      for (let i = 0; i < PARAMETERS; i++) a[i * PARAMETERS + i] += lambda * Math.max(jtj[i * PARAMETERS + i], 1e-12);
      const step = solve(a, jtr.slice());
      if (step === undefined) {
        lambda *= 10;
        continue;
      }
      const candidate = constrain(p.map((v, i) => v + step[i]), height, width);
      const candidateCost = residualCost(map, height, width, candidate);
      if (Number.isFinite(candidateCost) && candidateCost < cost) {
        const gain = (cost - candidateCost) / Math.max(cost, 1e-300);
        p = candidate;
        cost = candidateCost;
        lambda = Math.max(lambda / 10, 1e-9);
        improved = true;
        if (gain < 1e-10) converged = true;
        break;
      }
      lambda *= 10;
    }
    if (!improved) converged = true;
    if (converged) break;
  }
  return { ...normalise(fromVector(p)), rSquared: rSquaredOf(map, cost), iterations, converged };
}

/** f at (x, y) of a Gaussian. */
export function gaussian2dAt(g: Gaussian2d, x: number, y: number): number {
  return evaluate(toVector(g), x, y).value;
}

/**
 * A starting Gaussian from the map's moments: the extreme value (largest |map − median|) gives the sign and the
 * centre; the second moments of the same-signed excess within 4 pixels of it give the sizes and the angle.
 */
export function initialGaussian(map: ArrayLike<number>, height: number, width: number): Gaussian2d {
  const finite: number[] = [];
  for (let i = 0; i < map.length; i++) if (Number.isFinite(map[i])) finite.push(map[i]);
  finite.sort((a, b) => a - b);
  const offset = finite.length > 0 ? finite[Math.floor(finite.length / 2)] : 0;
  let peak = 0;
  let peakIndex = 0;
  for (let i = 0; i < map.length; i++) {
    const d = map[i] - offset;
    if (Number.isFinite(d) && Math.abs(d) > Math.abs(peak)) {
      peak = d;
      peakIndex = i;
    }
  }
  const py = Math.floor(peakIndex / width);
  const px = peakIndex % width;
  const sign = peak < 0 ? -1 : 1;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let y = Math.max(0, py - 4); y <= Math.min(height - 1, py + 4); y++) {
    for (let x = Math.max(0, px - 4); x <= Math.min(width - 1, px + 4); x++) {
      const excess = sign * (map[y * width + x] - offset);
      // Only clearly raised pixels: noise around a small blob would otherwise inflate the sizes.
      if (!(excess > 0.25 * Math.abs(peak))) continue;
      sw += excess;
      sx += excess * x;
      sy += excess * y;
      sxx += excess * x * x;
      syy += excess * y * y;
      sxy += excess * x * y;
    }
  }
  if (!(sw > 0)) return { centerX: px, centerY: py, sigmaMajor: 1, sigmaMinor: 1, angleRad: 0, amplitude: peak, offset };
  const cx = sx / sw;
  const cy = sy / sw;
  const vxx = sxx / sw - cx * cx;
  const vyy = syy / sw - cy * cy;
  const vxy = sxy / sw - cx * cy;
  // Eigenvalues of the covariance; the thresholded moments underestimate a Gaussian's variance, hence the floor.
  const mean = (vxx + vyy) / 2;
  const spread = Math.sqrt(((vxx - vyy) / 2) ** 2 + vxy * vxy);
  const major = Math.sqrt(Math.max(mean + spread, 0.25));
  const minor = Math.sqrt(Math.max(mean - spread, 0.25));
  return { centerX: cx, centerY: cy, sigmaMajor: major, sigmaMinor: minor, angleRad: 0.5 * Math.atan2(2 * vxy, vxx - vyy), amplitude: peak, offset };
}

type Vector = number[];

function toVector(g: Gaussian2d): Vector {
  return [g.centerX, g.centerY, g.sigmaMajor, g.sigmaMinor, g.angleRad, g.amplitude, g.offset];
}

function fromVector(p: Vector): Gaussian2d {
  return { centerX: p[0], centerY: p[1], sigmaMajor: p[2], sigmaMinor: p[3], angleRad: p[4], amplitude: p[5], offset: p[6] };
}

/** Keeps the sizes positive and the centre near the map, so a noisy map cannot send the fit to infinity. */
function constrain(p: Vector, height: number, width: number): Vector {
  const q = p.slice();
  q[0] = Math.min(Math.max(q[0], -2), width + 1);
  q[1] = Math.min(Math.max(q[1], -2), height + 1);
  q[2] = Math.min(Math.max(Math.abs(q[2]), MIN_SIGMA), 2 * Math.max(width, height));
  q[3] = Math.min(Math.max(Math.abs(q[3]), MIN_SIGMA), 2 * Math.max(width, height));
  return q;
}

/** Major ≥ minor and θ in (−π/2, π/2]. */
function normalise(g: Gaussian2d): Gaussian2d {
  let { sigmaMajor, sigmaMinor, angleRad } = g;
  if (sigmaMinor > sigmaMajor) {
    [sigmaMajor, sigmaMinor] = [sigmaMinor, sigmaMajor];
    angleRad += Math.PI / 2;
  }
  angleRad = angleRad - Math.PI * Math.ceil(angleRad / Math.PI - 0.5);
  if (angleRad <= -Math.PI / 2) angleRad += Math.PI;
  return { ...g, sigmaMajor, sigmaMinor, angleRad };
}

/** The model's value and its gradient with respect to the seven parameters. */
function evaluate(p: Vector, x: number, y: number): { value: number; gradient: Vector } {
  const [x0, y0, sa, sb, theta, amplitude, offset] = p;
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const dx = x - x0;
  const dy = y - y0;
  const u = c * dx + s * dy;
  const v = -s * dx + c * dy;
  const ia = 1 / (sa * sa);
  const ib = 1 / (sb * sb);
  const e = Math.exp(-0.5 * (u * u * ia + v * v * ib));
  const ae = amplitude * e;
  return {
    value: ae + offset,
    gradient: [
      ae * (u * c * ia - v * s * ib),
      ae * (u * s * ia + v * c * ib),
      (ae * u * u) / (sa * sa * sa),
      (ae * v * v) / (sb * sb * sb),
      ae * u * v * (ib - ia),
      e,
      1,
    ],
  };
}

function residualCost(map: ArrayLike<number>, height: number, width: number, p: Vector): number {
  let cost = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const z = map[y * width + x];
      if (!Number.isFinite(z)) continue;
      const r = z - evaluate(p, x, y).value;
      cost += r * r;
    }
  }
  return cost;
}

function normalEquations(map: ArrayLike<number>, height: number, width: number, p: Vector): { jtj: number[]; jtr: number[] } {
  const jtj = new Array<number>(PARAMETERS * PARAMETERS).fill(0);
  const jtr = new Array<number>(PARAMETERS).fill(0);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const z = map[y * width + x];
      if (!Number.isFinite(z)) continue;
      const { value, gradient } = evaluate(p, x, y);
      const r = z - value;
      for (let i = 0; i < PARAMETERS; i++) {
        jtr[i] += gradient[i] * r;
        for (let j = 0; j <= i; j++) jtj[i * PARAMETERS + j] += gradient[i] * gradient[j];
      }
    }
  }
  for (let i = 0; i < PARAMETERS; i++) for (let j = 0; j < i; j++) jtj[j * PARAMETERS + i] = jtj[i * PARAMETERS + j];
  return { jtj, jtr };
}

/** Solves a·x = b (n × n, row-major) by Gaussian elimination with partial pivoting; undefined when singular. */
function solve(a: number[], b: number[]): number[] | undefined {
  const n = b.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(a[row * n + col]) > Math.abs(a[pivot * n + col])) pivot = row;
    if (!(Math.abs(a[pivot * n + col]) > 1e-300)) return undefined;
    if (pivot !== col) {
      for (let k = 0; k < n; k++) [a[col * n + k], a[pivot * n + k]] = [a[pivot * n + k], a[col * n + k]];
      [b[col], b[pivot]] = [b[pivot], b[col]];
    }
    for (let row = col + 1; row < n; row++) {
      const factor = a[row * n + col] / a[col * n + col];
      if (factor === 0) continue;
      for (let k = col; k < n; k++) a[row * n + k] -= factor * a[col * n + k];
      b[row] -= factor * b[col];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = b[row];
    for (let k = row + 1; k < n; k++) sum -= a[row * n + k] * x[k];
    x[row] = sum / a[row * n + row];
  }
  return x.every(Number.isFinite) ? x : undefined;
}

function rSquaredOf(map: ArrayLike<number>, cost: number): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < map.length; i++) {
    if (!Number.isFinite(map[i])) continue;
    sum += map[i];
    count++;
  }
  const mean = count > 0 ? sum / count : 0;
  let total = 0;
  for (let i = 0; i < map.length; i++) if (Number.isFinite(map[i])) total += (map[i] - mean) ** 2;
  return total > 0 ? 1 - cost / total : 0;
}
