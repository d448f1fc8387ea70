import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "../session/create-session";
import { EXIT, runCli } from "./run-cli";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("hdmea command line", () => {
  it("simulates a recording and inspects its .cmcr and .cmtr", async () => {
    const out = path.join(dir, "rec");
    const sim = await run("simulate", "--out", out, "--duration-s", "6", "--units", "2", "--seed", "3", "--grid", "1-3,1-3", "--stimuli", "noise", "--pad-frames", "30");
    expect(sim.err).toBe("");
    expect(sim.code).toBe(EXIT.OK);
    expect(sim.out).toMatch(/Simulated 6 s, 2 units/);
    const cmtr = await run("inspect", path.join(out, "sim-seed3.cmtr"));
    expect(cmtr.code).toBe(EXIT.OK);
    expect(cmtr.out).toMatch(/units: 2, included spikes: \d+/);
    expect(cmtr.out).toMatch(/Unit 1: \d+ spikes \(\d+ excluded peaks\)/);
    const cmcr = await run("inspect", path.join(out, "sim-seed3.cmcr"));
    expect(cmcr.out).toMatch(/sensor data: 120000 samples × 3 columns × 3 rows/);
    expect(cmcr.out).toMatch(/acquisition rate \(analog samples \/ duration\): 20000 Hz/);
    expect(cmcr.out).toMatch(/SensorData 1 1 {2}int16 \[120000 × 3 × 3\]/);
  });

  it("inspects a session .h5 file", async () => {
    const session = createSession({ datasetId: "rec-1", outputDir: dir });
    session.addMetadata({ acquisition_rate: 20000 });
    const file = path.join(dir, "rec-1.h5");
    await session.save(file);
    const result = await run("inspect", file);
    expect(result.code).toBe(EXIT.OK);
    expect(result.out).toMatch(/dataset id: rec-1/);
    expect(result.out).toMatch(/acquisition rate: 20000 Hz/);
    expect(result.out).toMatch(/pipeline\//);
  });

  it("answers usage errors with exit code 2 and the usage text", async () => {
    for (const args of [[], ["frobnicate"], ["simulate"], ["simulate", "--out", dir, "--units", "two"], ["simulate", "--bogus"], ["inspect"]]) {
      const result = await run(...args);
      expect(result.code).toBe(EXIT.USAGE);
      expect(result.err).toMatch(/Usage:/);
    }
  });

  it("reports typed errors with their code and exit code 1", async () => {
    const missing = await run("inspect", path.join(dir, "nope.cmcr"));
    expect(missing.code).toBe(EXIT.FAILED);
    expect(missing.err).toMatch(/HDMEA_FILE_NOT_FOUND/);
    const short = await run("simulate", "--out", path.join(dir, "short"), "--duration-s", "5");
    expect(short.code).toBe(EXIT.FAILED);
    expect(short.err).toMatch(/HDMEA_CONFIGURATION.*too short/);
    fs.writeFileSync(path.join(dir, "notes.txt"), "not a recording\n");
    const kind = await run("inspect", path.join(dir, "notes.txt"));
    expect(kind.err).toMatch(/expected a \.cmcr, \.cmtr or \.h5 file/);
  });
});
