import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { ErrorCode, SessionError } from "../errors";
import { recordingLogger } from "./logger";
import { sessionById, sessionIds } from "./registry";
import { PipelineSession } from "./session";

describe("sessionById", () => {
  it("finds sessions made with new, and loaded ones, by the id their card shows", async () => {
    const logger = recordingLogger();
    const first = new PipelineSession({ datasetId: "registry rec", logger });
    const second = new PipelineSession({ datasetId: "registry rec", logger });
    expect(first.sessionId).toBe("registry_rec-1");
    expect(second.sessionId).toBe("registry_rec-2");
    expect(sessionById("registry_rec-1")).toBe(first);
    expect(sessionById("registry_rec-2")).toBe(second);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-registry-"));
    try {
      const file = await first.save(path.join(dir, "rec.h5"));
      const resumed = await PipelineSession.load(file, { logger });
      expect(resumed.sessionId).toBe("registry_rec-3");
      expect(sessionById(resumed.sessionId)).toBe(resumed);
      expect(sessionIds()).toEqual(expect.arrayContaining(["registry_rec-1", "registry_rec-2", "registry_rec-3"]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("throws a SessionError naming the ids there are for an unknown id", () => {
    new PipelineSession({ datasetId: "known-one", logger: recordingLogger() });
    let error: unknown;
    try {
      sessionById("gone-7");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SessionError);
    expect((error as SessionError).code).toBe(ErrorCode.SESSION);
    expect((error as SessionError).message).toMatch(/No session "gone-7" in this kernel .*known-one-1.*Run the cells above/);
  });
});
