/**
 * Parameter sweeps as plain generator functions yielding run parameters. Axes are explicit: in `product` and
 * `zip` every leaf is an array of choices (nested plain objects are walked into, so `{ sta: { coverRange: [a, b] } }`
 * sweeps `sta.coverRange`); fixed values — even arrays — go through `constants`, so an array-valued parameter is
 * never swept by accident. `chain` combines sweeps as a product, merging their parameters.
 */
import { ConfigurationError } from "../errors";
import type { RunParams } from "./canonical-params";
import { sweepMessages } from "./messages";

/** Anything that yields run parameters; every function here returns one. */
export type Sweep = Iterable<RunParams>;

/** Axes of a sweep: each leaf an array of the values to try; nested plain objects group axes. */
export interface SweepAxes {
  [key: string]: readonly unknown[] | SweepAxes;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The axes as [path, choices] pairs, in key order. */
function leaves(axes: SweepAxes, prefix: string[] = []): [string[], readonly unknown[]][] {
  const out: [string[], readonly unknown[]][] = [];
  for (const [key, value] of Object.entries(axes)) {
    const keyPath = [...prefix, key];
    if (Array.isArray(value)) out.push([keyPath, value]);
    else if (isPlainObject(value)) out.push(...leaves(value as SweepAxes, keyPath));
    else throw new ConfigurationError(sweepMessages.notAnAxis(keyPath.join("."), value));
  }
  return out;
}

function build(pairs: [string[], unknown][]): RunParams {
  const out: RunParams = {};
  for (const [keyPath, value] of pairs) {
    let node = out;
    for (const key of keyPath.slice(0, -1)) node = (node[key] ??= {}) as RunParams;
    node[keyPath[keyPath.length - 1]] = value;
  }
  return out;
}

/** Every combination of the axes; the last axis varies fastest (like nested for loops in key order). */
export function* product(axes: SweepAxes): Generator<RunParams> {
  const axisList = leaves(axes);
  if (axisList.some(([, choices]) => choices.length === 0)) return;
  const index = axisList.map(() => 0);
  for (;;) {
    yield build(axisList.map(([keyPath, choices], i) => [keyPath, choices[index[i]]]));
    let axis = axisList.length - 1;
    while (axis >= 0) {
      index[axis] += 1;
      if (index[axis] < axisList[axis][1].length) break;
      index[axis] = 0;
      axis -= 1;
    }
    if (axis < 0) return;
  }
}

/** The i-th value of every axis together; all axes must have the same length. */
export function* zip(axes: SweepAxes): Generator<RunParams> {
  const axisList = leaves(axes);
  const lengths = new Set(axisList.map(([, choices]) => choices.length));
  if (lengths.size > 1) {
    throw new ConfigurationError(sweepMessages.zipLengths(axisList.map(([keyPath, choices]) => `${keyPath.join(".")}: ${choices.length}`)));
  }
  const length = axisList.length === 0 ? 0 : axisList[0][1].length;
  for (let i = 0; i < length; i += 1) yield build(axisList.map(([keyPath, choices]) => [keyPath, choices[i]]));
}

/** One parameter set holding `values` as they are (arrays included). */
export function* constants(values: RunParams): Generator<RunParams> {
  yield values;
}

function merge(into: RunParams, from: RunParams, prefix: string): RunParams {
  const out: RunParams = { ...into };
  for (const [key, value] of Object.entries(from)) {
    const dotted = prefix === "" ? key : `${prefix}.${key}`;
    if (!(key in out)) out[key] = value;
    else if (isPlainObject(out[key]) && isPlainObject(value)) out[key] = merge(out[key] as RunParams, value as RunParams, dotted);
    else throw new ConfigurationError(sweepMessages.chainConflict(dotted));
  }
  return out;
}

/**
 * The product of several sweeps with their parameters merged: `chain(product({ a: [1, 2] }), constants({ b: 3 }))`
 * yields `{a: 1, b: 3}`, `{a: 2, b: 3}`. A key given by two sweeps is an error. Later sweeps are read once into
 * memory; the first streams.
 */
export function* chain(...sweeps: Sweep[]): Generator<RunParams> {
  if (sweeps.length === 0) return;
  const [first, ...rest] = sweeps;
  const materialised = rest.map((sweep) => [...sweep]);
  function* combine(base: RunParams, level: number): Generator<RunParams> {
    if (level === materialised.length) {
      yield base;
      return;
    }
    for (const params of materialised[level]) yield* combine(merge(base, params, ""), level + 1);
  }
  for (const params of first) yield* combine(params, 0);
}
