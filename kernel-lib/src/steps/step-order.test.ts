/**
 * Order (issue 4): every step run before its prerequisites gives the reference's warning or a typed
 * ConfigurationError — never a crash — and leaves the session's data as it was.
 */
import * as path from "path";
import { describe, expect, it } from "vitest";
import { ConfigurationError, HdmeaError } from "../errors";
import * as hdmea from "../index";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { useTempDir } from "../test-support/temp-dir";

type StepCall = (session: PipelineSession, dir: string) => Promise<unknown>;

/** Each step with plausible options, run on a session that has not loaded a recording. */
const STEPS: Record<string, StepCall> = {
  addSectionTime: (session, dir) =>
    hdmea.addSectionTime({ session, playlistName: "p", playlistPath: path.join(dir, "p.csv"), movieLengthPath: path.join(dir, "m.csv") }),
  sectionSpikeTimes: (session, dir) => hdmea.sectionSpikeTimes({ session, configDir: dir }),
  extractFeatures: (session) => hdmea.extractFeatures({ session, features: ["frif"] }),
};
const optional = hdmea as unknown as Record<string, ((options: Record<string, unknown>) => Promise<unknown>) | undefined>;
if (optional.computeSta) STEPS.computeSta = (session, dir) => optional.computeSta!({ session, stimuliDir: dir });
if (optional.computeEimageSta) STEPS.computeEimageSta = (session) => optional.computeEimageSta!({ session });

describe("steps before their prerequisites", () => {
  const tempDir = useTempDir();

  it.each(Object.keys(STEPS))("%s warns or throws ConfigurationError, and changes no data", async (name) => {
    const session = new PipelineSession({ datasetId: "order", logger: recordingLogger() });
    session.addUnits({ unit_001: { spike_times: Float64Array.of(10, 20) } });
    const before = { units: structuredClone(session.units), metadata: { ...session.metadata }, stimulus: { ...session.stimulus } };
    let thrown: unknown;
    try {
      await STEPS[name](session, tempDir());
    } catch (error) {
      thrown = error;
    }
    if (thrown !== undefined) {
      expect(thrown).toBeInstanceOf(HdmeaError);
      expect(thrown).toBeInstanceOf(ConfigurationError);
    } else {
      expect(session.warnings.length).toBeGreaterThan(0);
      expect(session.stepRecords.at(-1)?.status).toBe("failed");
    }
    expect(session.units).toEqual(before.units);
    expect(session.metadata).toEqual(before.metadata);
    expect(session.stimulus).toEqual(before.stimulus);
  });
});
