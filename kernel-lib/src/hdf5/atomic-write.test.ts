/**
 * Atomic replacement in one process (the crash test kills writers): the new version in place, no temporary file, and
 * the replaced version's descriptor — held over the rename so that freeing it happens after the save — closed.
 */
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { useTempDir } from "../test-support/temp-dir";
import { writeFileAtomically } from "./atomic-write";

const tmp = useTempDir();

function openDescriptors(): number {
  return fs.readdirSync("/proc/self/fd").length;
}

/** Lets the thread pool run the close of the replaced version. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("writeFileAtomically", () => {
  it("replaces an existing file with the new version and closes the replaced one after returning", async () => {
    const target = path.join(tmp(), "session.h5");
    fs.writeFileSync(target, Buffer.alloc(3_000_000, 1));
    const before = openDescriptors();
    for (let round = 0; round < 3; round++) {
      await writeFileAtomically(target, (temp) => fs.writeFileSync(temp, Buffer.alloc(1000 + round, 2 + round)));
      expect(fs.readFileSync(target)).toEqual(Buffer.alloc(1000 + round, 2 + round));
    }
    await settle();
    expect(openDescriptors()).toBe(before);
    expect(fs.readdirSync(path.dirname(target))).toEqual(["session.h5"]);
  });

  it("leaves the target as it was, and no descriptor or temporary file, when the write fails", async () => {
    const target = path.join(tmp(), "session.h5");
    fs.writeFileSync(target, "old");
    const before = openDescriptors();
    await expect(
      writeFileAtomically(target, (temp) => {
        fs.writeFileSync(temp, "partial");
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    await settle();
    expect(openDescriptors()).toBe(before);
    expect(fs.readFileSync(target, "utf8")).toBe("old");
    expect(fs.readdirSync(path.dirname(target))).toEqual(["session.h5"]);
  });

  it("writes a target that does not exist yet", async () => {
    const target = path.join(tmp(), "new.h5");
    await writeFileAtomically(target, (temp) => fs.writeFileSync(temp, "first"));
    expect(fs.readFileSync(target, "utf8")).toBe("first");
  });
});
