/**
 * Property: arbitrary nested session contents survive save → load unchanged (DESIGN §8): every supported typed
 * array (empty ones too), n-d arrays, numbers with NaN and ±Infinity, unicode strings, booleans, nested maps, maps
 * with ≥ 12 integer-like keys (which come back in numeric key order), and lists of strings, numbers and booleans.
 */
import * as path from "path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PipelineSession } from "../session/session";
import { recordingLogger } from "../session/logger";
import { useTempDir } from "../test-support/temp-dir";
import { readSessionFile } from "./session-file";
import { keyProblem, NdArray, type SessionMap, type SessionValue } from "./values";

const text = fc.string({ unit: "grapheme", maxLength: 12 }).filter((s) => !s.includes("\u0000"));
const key = fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }).filter((k) => keyProblem(k) === undefined);
const small = { maxLength: 6 };

const typedArray: fc.Arbitrary<SessionValue> = fc.oneof(
  fc.int8Array(small),
  fc.uint8Array(small),
  fc.int16Array(small),
  fc.uint16Array(small),
  fc.int32Array(small),
  fc.uint32Array(small),
  fc.float32Array(small),
  fc.float64Array(small),
  fc.bigInt64Array(small),
  fc.bigUint64Array(small),
);

const ndArray: fc.Arbitrary<SessionValue> = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
  .chain(([a, b, c]) => fc.float32Array({ minLength: a * b * c, maxLength: a * b * c }).map((data) => new NdArray(data, [a, b, c])));

const leaf: fc.Arbitrary<SessionValue> = fc.oneof(
  typedArray,
  ndArray,
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  text,
  fc.boolean(),
  fc.array(text, { minLength: 1, maxLength: 4 }),
  fc.array(fc.double(), { maxLength: 4 }),
  fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
);

/** A map with 12–16 integer-like keys ("0", "7", "311", …). */
const integerKeyMap: fc.Arbitrary<SessionMap> = fc
  .uniqueArray(fc.nat(400), { minLength: 12, maxLength: 16 })
  .chain((keys) => fc.tuple(...keys.map(() => leaf)).map((values) => Object.fromEntries(keys.map((k, i) => [String(k), values[i]]))));

const { map: nestedMap } = fc.letrec<{ map: SessionMap }>((tie) => ({
  map: fc.dictionary(key, fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("map"), integerKeyMap), { maxKeys: 5 }),
}));

const unit: fc.Arbitrary<SessionMap> = fc.dictionary(key, fc.oneof(leaf, nestedMap), { maxKeys: 5 });

/** Every map under `value` whose keys are all integer-like must list them in numeric order. */
function expectNumericKeyOrder(value: unknown): void {
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value) || Array.isArray(value) || value instanceof NdArray) return;
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((k) => /^(0|[1-9]\d*)$/.test(k))) {
    expect(keys).toEqual([...keys].sort((a, b) => Number(a) - Number(b)));
  }
  for (const child of Object.values(value)) expectNumericKeyOrder(child);
}

describe("session contents round trip (property)", () => {
  const tempDir = useTempDir();

  it("save → load gives back deep-equal contents", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(key, unit, { maxKeys: 3 }),
        nestedMap,
        fc.oneof(nestedMap, integerKeyMap),
        async (units, metadata, stimulus) => {
          const session = new PipelineSession({ datasetId: "prop", logger: recordingLogger() });
          session.addUnits(units).addMetadata(metadata).addStimulus(stimulus);
          const file = await session.save(path.join(tempDir(), `p${run++}.h5`));
          const loaded = await PipelineSession.load(file);
          expect(loaded.units).toEqual(session.units);
          expect(loaded.metadata).toEqual(session.metadata);
          expect(loaded.stimulus).toEqual(session.stimulus);
          expectNumericKeyOrder(loaded.units);
          expectNumericKeyOrder(loaded.metadata);
          expectNumericKeyOrder(loaded.stimulus);
          // The file's own structures (the native reader) and h5wasm read the same snapshot, types included.
          const native = await readSessionFile(file);
          const viaH5wasm = await readSessionFile(file, { via: "h5wasm" });
          expect([native.via, viaH5wasm.via]).toEqual(["native", "h5wasm"]);
          expect(native.snapshot).toStrictEqual(viaH5wasm.snapshot);
          expect(native.skipped).toEqual(viaH5wasm.skipped);
        },
      ),
      { numRuns: 120, seed: 20261121 },
    );
  });
});
