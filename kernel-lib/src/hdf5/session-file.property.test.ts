/**
 * Property: arbitrary nested session contents survive save → load unchanged (DESIGN §8): every supported typed
 * array (empty ones too), n-d arrays, numbers with NaN and ±Infinity, unicode strings, booleans, nested maps, maps
 * with ≥ 12 integer-like keys (which come back in numeric key order), and lists of strings, numbers and booleans.
 * int64/uint64 arrays whose values fit ±2^53 come back as numbers (`afterLoad`).
 */
import * as path from "path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PipelineSession } from "../session/session";
import { recordingLogger } from "../session/logger";
import { useTempDir } from "../test-support/temp-dir";
import { readSessionFile } from "./session-file";
import { afterLoad, integerKeyMap, key, leaf, nestedMap } from "../test-support/session-arbitraries";
import { NdArray, type SessionMap } from "./values";

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
          expect(loaded.units).toEqual(afterLoad(session.units as SessionMap));
          expect(loaded.metadata).toEqual(afterLoad(session.metadata));
          expect(loaded.stimulus).toEqual(afterLoad(session.stimulus));
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
