import * as path from "path";
import { describe, expect, it } from "vitest";
import { buildCmcr, writeH5 } from "../test-support/mcs-fixtures";
import { useTempDir } from "../test-support/temp-dir";
import { openSensorBlocks } from "./sensor-blocks";

/** raw[t][x][y] = 100·t + 10·x + y over 23 samples of a 2 × 3 region. */
const [T, X, Y] = [23, 2, 3];
const ramp = (t: number, i: number) => 100 * t + 10 * Math.floor(i / Y) + (i % Y);

describe("openSensorBlocks", () => {
  const tmp = useTempDir();

  it("serves forward-moving, overlapping blocks: raw counts of int16 data, µV of other data", async () => {
    const values = Array.from({ length: T * X * Y }, (_, k) => ramp(Math.floor(k / (X * Y)), k % (X * Y)));
    const ranges = [
      [0, 10],
      [6, 17],
      [17, 21],
      [19, 23],
    ];
    for (const [name, raw, counts] of [
      ["int16", Int16Array.from(values), true],
      ["int32", Int32Array.from(values), false],
    ] as const) {
      const file = path.join(tmp(), `${name}.cmcr`);
      // 500 × 10^-9 V = 0.5 µV per count, ADC zero 3.
      await writeH5(file, buildCmcr({ raw, shape: [T, X, Y], adZero: 3 }));
      const blocks = await openSensorBlocks({ cmcrPath: file, endSample: T, readSamples: 4, electrodes: X * Y, maxBlockSamples: 11, counts });
      try {
        expect([name, blocks.scale === undefined]).toEqual([name, !counts]);
        for (const [start, end] of ranges) {
          const block = await blocks.read({ start, end });
          expect(block).toBeInstanceOf(counts ? Int16Array : Float32Array);
          const expected = Array.from({ length: (end - start) * X * Y }, (_, k) => {
            const value = ramp(start + Math.floor(k / (X * Y)), k % (X * Y));
            return counts ? value : (value - 3) * 0.5;
          });
          expect([name, start, Array.from(block)]).toEqual([name, start, expected]);
        }
      } finally {
        await blocks.close();
      }
    }
  });
});
