/**
 * The save state tells the truth (issue 12 item 1): every change after a save makes the session deferred again, at
 * once in the session card, and a file changed or removed under a session is detected and reported.
 */
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { SESSION_MIME, type SessionPayload } from "../display/protocol";
import { sessionPayload, showSession } from "../display/session-card";
import { RecordingSink } from "../display/writer";
import { defineStep } from "../steps/define-step";
import { useTempDir } from "../test-support/temp-dir";
import { recordingLogger } from "./logger";
import { PipelineSession, SaveState } from "./session";

const tmp = useTempDir();

function newSession() {
  const logger = recordingLogger();
  const session = new PipelineSession({ datasetId: "rec", logger });
  session.addUnits({ unit_001: { spike_times: new Float64Array([1, 2, 3]) } });
  return { session, logger };
}

const noteStep = defineStep({
  name: "note_step",
  defaults: { value: 1 },
  run: ({ session, options }) => {
    session.state.set("note", options.value);
  },
});

/** Each kind of change a notebook can make to a session. */
const CHANGES: [string, (session: PipelineSession) => unknown][] = [
  ["addUnits", (s) => s.addUnits({ unit_002: { spike_times: new Float64Array([4]) } })],
  ["addMetadata", (s) => s.addMetadata({ acquisition_rate: 20_000 })],
  ["addStimulus", (s) => s.addStimulus({ frame_times: new Float64Array([0, 1]) })],
  ["addFeature", (s) => s.addFeature("unit_001", "f", new Float64Array([1]))],
  ["addWarning", (s) => s.addWarning("w")],
  ["markStepComplete", (s) => s.markStepComplete("x")],
  ["setSourceFiles", (s) => s.setSourceFiles({ cmcrPath: "/a.cmcr" })],
  ["setContextEntry", (s) => s.setContextEntry("recipe", { seed: 1 })],
  ["state.set", (s) => s.state.set("k", 1)],
  ["state.delete", (s) => s.state.delete("kept")],
  ["a step", (s) => noteStep({ session: s })],
];

describe("a change after save() makes the session deferred", () => {
  for (const [name, change] of CHANGES) {
    it(`${name} after a save: deferred, in the session and in the card's next update`, async () => {
      const { session } = newSession();
      session.state.set("kept", true);
      const file = await session.save(path.join(tmp(), "s.h5"));
      expect(sessionPayload(session).saveState).toBe(SaveState.SAVED);
      const writer = new RecordingSink();
      const shownStates = () => writer.messages.map((m) => (m.data[SESSION_MIME] as unknown as SessionPayload).saveState);
      showSession(session, { writer, minIntervalMs: 60_000 }).flush();
      await change(session);
      const shown = shownStates();
      expect(session.saveState).toBe(SaveState.DEFERRED);
      expect(sessionPayload(session).saveState).toBe(SaveState.DEFERRED);
      // At once, not after the card's throttle interval (60 s here): the save state is a milestone of the card.
      expect(shown.length).toBeGreaterThan(1);
      expect(shown[shown.length - 1]).toBe(SaveState.DEFERRED);
      expect(session.hdf5Path).toBe(file); // the file of the last save, which lacks the change
      await session.save(file);
      expect(session.saveState).toBe(SaveState.SAVED);
      expect(shownStates().pop()).toBe(SaveState.SAVED);
    });
  }

  it("checkpoint() and reading do not change the save state", async () => {
    const { session } = newSession();
    await session.save(path.join(tmp(), "s.h5"));
    await session.checkpoint(path.join(tmp(), "cp.h5"));
    void session.units;
    void session.state.get("k");
    session.unitsTable();
    sessionPayload(session);
    expect(session.saveState).toBe(SaveState.SAVED);
  });

  it("a loaded session is saved until it changes", async () => {
    const { session } = newSession();
    const file = await session.save(path.join(tmp(), "s.h5"));
    const loaded = await PipelineSession.load(file, { logger: recordingLogger() });
    expect(loaded.saveState).toBe(SaveState.SAVED);
    expect(loaded.checkFile()).toBe("unchanged");
    loaded.state.set("x", 1);
    expect(loaded.saveState).toBe(SaveState.DEFERRED);
  });

  it("ensureSaved() after a change writes the changes (to the session's own file, with no FileExistsError)", async () => {
    const { session } = newSession();
    const file = await session.save(path.join(tmp(), "s.h5"));
    session.addMetadata({ acquisition_rate: 20_000 });
    expect(await session.ensureSaved()).toBe(file);
    expect(session.saveState).toBe(SaveState.SAVED);
    const back = await PipelineSession.load(file, { logger: recordingLogger() });
    expect(back.metadata.acquisition_rate).toBe(20_000);
  });
});

describe("a file changed under a session is detected", () => {
  it("a step run with hdf5Path on the session's own file: the in-memory session turns deferred with one warning", async () => {
    const { session, logger } = newSession();
    const file = await session.save(path.join(tmp(), "s.h5"));
    await noteStep({ hdf5Path: file, value: 7 });
    expect(session.saveState).toBe(SaveState.DEFERRED);
    expect(session.checkFile()).toBe("changed");
    const reported = session.warnings.filter((w) => w.includes("was changed by another writer"));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toContain(file);
    expect(logger.lines.filter((l) => l.includes("was changed by another writer"))).toHaveLength(1);
    sessionPayload(session);
    expect(session.warnings.filter((w) => w.includes("was changed by another writer"))).toHaveLength(1); // once
  });

  it("another writer (a rewrite outside hdmea) is seen by the session card's next update", async () => {
    const { session } = newSession();
    const file = await session.save(path.join(tmp(), "s.h5"));
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file + ".new", Buffer.concat([bytes, Buffer.alloc(16)]));
    fs.renameSync(file + ".new", file);
    expect(session.saveState).toBe(SaveState.SAVED); // nothing looked yet
    const payload = sessionPayload(session);
    expect(payload.saveState).toBe(SaveState.DEFERRED);
    expect(payload.warnings.some((w) => w.includes("was changed by another writer"))).toBe(true);
  });

  it("an in-place write of the same size (same inode) is seen too", async () => {
    const { session } = newSession();
    const file = await session.save(path.join(tmp(), "s.h5"));
    const fd = fs.openSync(file, "r+");
    fs.writeSync(fd, Buffer.from([0]), 0, 1, 100);
    fs.closeSync(fd);
    fs.utimesSync(file, new Date(Date.UTC(2030, 0, 1)), new Date(Date.UTC(2030, 0, 1)));
    expect(session.checkFile()).toBe("changed");
    expect(session.isDeferred).toBe(true);
  });

  it("a removed file is reported as missing, and save() writes it again", async () => {
    const { session } = newSession();
    const file = await session.save(path.join(tmp(), "s.h5"));
    fs.rmSync(file);
    expect(session.checkFile()).toBe("missing");
    expect(session.isDeferred).toBe(true);
    expect(session.warnings.some((w) => w.includes("was removed or moved"))).toBe(true);
    await session.save(file);
    expect(session.checkFile()).toBe("unchanged");
    expect(session.isSaved).toBe(true);
  });

  it("a session that never saved has no file to check", () => {
    expect(newSession().session.checkFile()).toBe("none");
  });
});
