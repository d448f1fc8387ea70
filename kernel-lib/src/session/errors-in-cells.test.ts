/**
 * Errors as a notebook cell shows them (issue 12 item 7): tslab prints a thrown error with `console.error(error)`,
 * i.e. Node's util.inspect. Ours print as one line with the code and what to do; a mistyped option leads with the
 * name that was meant; a file where a folder should be is a typed error, not EEXIST.
 */
import * as fs from "fs";
import * as path from "path";
import { inspect } from "util";
import { describe, expect, it } from "vitest";
import { CheckpointError, ConfigurationError, DataLoadError, ErrorCode, HdmeaError } from "../errors";
import { defineStep } from "../steps/define-step";
import { nearestName } from "../steps/messages";
import { useTempDir } from "../test-support/temp-dir";
import { recordingLogger } from "./logger";
import { PipelineSession } from "./session";

const tmp = useTempDir();

describe("an hdmea error printed in a cell", () => {
  it("is one line: class, code, message; no stack, though stack and cause stay on the object", () => {
    const cause = new Error("h5wasm: bad superblock");
    const error = new DataLoadError("/data/x.h5", "Cannot read /data/x.h5 as a session file: bad superblock. Check the path.", { cause });
    const printed = inspect(error);
    expect(printed).toBe("DataLoadError [HDMEA_DATA_LOAD]: Cannot read /data/x.h5 as a session file: bad superblock. Check the path.");
    expect(printed.split("\n")).toHaveLength(1);
    expect(error.stack).toContain("errors-in-cells.test.ts");
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(HdmeaError);
  });

  it("a thrown step error prints as that one line through console.error, as tslab prints it", async () => {
    const step = defineStep({ name: "s", defaults: { coverRange: [-60, 0] as [number, number] }, run: () => undefined });
    const session = new PipelineSession({ datasetId: "rec", logger: recordingLogger() });
    const error = await step({ session, cover_range: [-30, 0] } as never).catch((e: unknown) => e);
    const lines: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => lines.push(args.map((a) => inspect(a)).join(" "));
    try {
      console.error(error);
    } finally {
      console.error = original;
    }
    expect(lines).toEqual([`ConfigurationError [${ErrorCode.CONFIGURATION}]: Did you mean 'coverRange'? s: unknown option 'cover_range'. Known options: coverRange.`]);
    expect(error).toBeInstanceOf(ConfigurationError);
  });
});

describe("the option a mistyped name meant", () => {
  it.each([
    ["cover_range", ["coverRange", "unitIds"], "coverRange"],
    ["COVERRANGE", ["coverRange"], "coverRange"],
    ["coverRang", ["coverRange", "unitIds"], "coverRange"],
    ["unitId", ["coverRange", "unitIds"], "unitIds"],
    ["somethingElse", ["coverRange", "unitIds"], undefined],
  ])("%s among %j → %s", (given, known, expected) => {
    expect(nearestName(given, known)).toBe(expected);
  });
});

describe("an output path below a file", () => {
  it("save() throws CheckpointError naming the file in the way, not EEXIST or ENOTDIR", async () => {
    const blocking = path.join(tmp(), "output");
    fs.writeFileSync(blocking, "a file, not a folder");
    const session = new PipelineSession({ datasetId: "rec", logger: recordingLogger() });
    const error = await session.save(path.join(blocking, "sub", "s.h5")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).code).toBe(ErrorCode.CHECKPOINT);
    expect((error as Error).message).toBe(
      `Cannot write ${path.join(blocking, "sub", "s.h5")}: ${blocking} is a file, not a folder. Choose an output path inside a folder, or move that file away.`,
    );
    expect((error as Error).message).not.toMatch(/EEXIST|ENOTDIR/);
    await expect(session.checkpoint(path.join(blocking, "cp.h5"))).rejects.toThrow(CheckpointError);
    expect(session.isDeferred).toBe(true);
  });
});

describe("unit data typed by its HDF5 names", () => {
  it("a camelCase name is a type error (checked by `npm run typecheck`), the snake_case one is typed", () => {
    const session = new PipelineSession({ datasetId: "rec", logger: recordingLogger() });
    session.addUnits({ unit_001: { spike_times: new Float64Array([10, 20]), row: 3, flag: true } });
    const unit = session.units.unit_001;
    // @ts-expect-error spikeTimes is not a unit key: the HDF5 name is spike_times
    expect(unit.spikeTimes).toBeUndefined();
    const row: number | undefined = unit.row;
    expect(row).toBe(3);
    expect(unit.spike_times).toEqual(new Float64Array([10, 20]));
    expect(unit.flag).toBe(true); // other lower-case keys (a reference file's own) stay readable
  });
});
