/**
 * addSectionTime: the reference's worked example (§3.4 / A.9), the simulator's planted movie positions, the
 * reference's warnings for bad input (nothing changed), skip-if-present / force, save → load and hdf5Path mode.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "../errors";
import { NdArray } from "../hdf5/values";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { StepStatus } from "../session/step-records";
import { simulateRecording, type SimulatedRecording } from "../simulate/simulate-recording";
import { expectSameContents } from "../test-support/same-contents";
import { useTempDir } from "../test-support/temp-dir";
import { addSectionTime } from "./add-section-time";
import { loadRecording } from "./load-recording";

const FRAME_COUNT = 5000;
const RAW_LENGTH = 1_700_000;

/** The reference's fixture CSVs (tests/fixtures/section_time). */
function writeFixtureCsvs(dir: string): { playlistPath: string; movieLengthPath: string } {
  const playlistPath = path.join(dir, "playlist.csv");
  const movieLengthPath = path.join(dir, "movie_length.csv");
  fs.writeFileSync(
    playlistPath,
    `playlist_name,movie_names\ntest_playlist,"['movie_a.mov', 'movie_b.mov', 'movie_c.mov']"\nsingle_movie,"['movie_a.mov']"\n`,
  );
  fs.writeFileSync(movieLengthPath, "movie_name,movie_length\nmovie_a,600\nmovie_b,1200\nmovie_c,900\n");
  return { playlistPath, movieLengthPath };
}

/** frame_timestamps = 333·k (k < 5000) and a raw_ch1 ramp, as after loadRecording. */
function loadedSession(options: { rawCh1?: boolean } = {}): PipelineSession {
  const session = new PipelineSession({ datasetId: "fixture", logger: recordingLogger() });
  session.addMetadata({ acquisition_rate: 20_000, frame_timestamps: Float64Array.from({ length: FRAME_COUNT }, (_, k) => 333 * k) });
  if (options.rawCh1 !== false) session.addStimulus({ light_reference: { raw_ch1: Float32Array.from({ length: RAW_LENGTH }, (_, i) => i % 997) } });
  session.markStepComplete("load_recording");
  return session;
}

function rows(value: unknown): number[][] {
  const array = value as NdArray<Float64Array>;
  expect(array).toBeInstanceOf(NdArray);
  expect(array.data).toBeInstanceOf(Float64Array);
  const out: number[][] = [];
  for (let i = 0; i < array.shape[0]; i++) out.push([array.data[2 * i], array.data[2 * i + 1]]);
  return out;
}

describe("addSectionTime — reference worked example (§3.4, A.9)", () => {
  const tempDir = useTempDir();

  it("repeats 2 on the fixture CSVs with frame_timestamps 333·k gives the verified section times and templates", async () => {
    const csvs = writeFixtureCsvs(tempDir());
    const session = await addSectionTime({ ...csvs, playlistName: "test_playlist", repeats: 2, session: loadedSession() });
    const sectionTime = session.stimulus.section_time as Record<string, unknown>;
    expect(Object.keys(sectionTime)).toEqual(["movie_a", "movie_b", "movie_c"]);
    expect(rows(sectionTime.movie_a)).toEqual([[39_960, 300_033], [1_299_699, 1_559_772]]);
    expect(rows(sectionTime.movie_b)).toEqual([[359_973, 819_846], [1_619_712, 1_664_667]]);
    expect(rows(sectionTime.movie_c)).toEqual([[879_786, 1_239_759], [1_664_667, 1_664_667]]); // clipped at frame 4999

    const templates = session.stimulus.light_template as Record<string, Float32Array>;
    expect([templates.movie_a.length, templates.movie_b.length, templates.movie_c.length]).toEqual([260_073, 459_873, 359_973]);
    expect(templates.movie_a).toBeInstanceOf(Float32Array);
    const raw = (j: number) => j % 997;
    expect(templates.movie_a[5]).toBe(Math.fround((raw(39_960 + 5) + raw(1_299_699 + 5)) / 2));
    // movie_b's second piece is 44 955 samples long: past it only the first occurrence counts (NaN-padded mean).
    expect(templates.movie_b[100]).toBe(Math.fround((raw(359_973 + 100) + raw(1_619_712 + 100)) / 2));
    expect(templates.movie_b[50_000]).toBe(raw(359_973 + 50_000));

    expect(session.metadata.section_time_playlist).toBe("test_playlist");
    expect(session.metadata.section_time_repeats).toBe(2);
    expect(session.completedSteps.has("add_section_time")).toBe(true);
    expect(session.warnings).toEqual([]);
  });

  it("single_movie gives exactly movie_a; without raw_ch1 there are section times but no templates", async () => {
    const csvs = writeFixtureCsvs(tempDir());
    const session = await addSectionTime({ ...csvs, playlistName: "single_movie", session: loadedSession({ rawCh1: false }) });
    expect(Object.keys(session.stimulus.section_time as object)).toEqual(["movie_a"]);
    expect(rows((session.stimulus.section_time as Record<string, unknown>).movie_a)).toEqual([[39_960, 300_033]]);
    expect(session.stimulus.light_template).toBeUndefined();
    expect(session.metadata.section_time_repeats).toBe(1);
  });

  it("a movie missing from the length table is skipped with a warning and the movies after it move earlier", async () => {
    const csvs = writeFixtureCsvs(tempDir());
    fs.writeFileSync(csvs.movieLengthPath, "movie_name,movie_length\nmovie_a,600\nmovie_c,900\n");
    const session = await addSectionTime({ ...csvs, playlistName: "test_playlist", session: loadedSession() });
    expect(Object.keys(session.stimulus.section_time as object)).toEqual(["movie_a", "movie_c"]);
    // movie_c now starts where movie_b would have: fc = 2·180 + 600 + 1 = 961 → frames [961 + 120, 961 + 180 + 120 + 900 + 1].
    expect(rows((session.stimulus.section_time as Record<string, unknown>).movie_c)).toEqual([[1081 * 333, 2162 * 333]]);
    expect(session.warnings).toEqual([expect.stringMatching(/^Movie 'movie_b' is not in the movie length file .*movie_length\.csv/)]);
  });

  it("other pad and margin frames move the sections as the bookkeeping says", async () => {
    const csvs = writeFixtureCsvs(tempDir());
    const session = await addSectionTime({
      ...csvs,
      playlistName: "single_movie",
      padFrame: 100,
      preMarginFrameNum: 10,
      postMarginFrameNum: 20,
      session: loadedSession({ rawCh1: false }),
    });
    // start = 0 + 100 − 10 = 90, end = 0 + 100 + 20 + 600 + 1 = 721
    expect(rows((session.stimulus.section_time as Record<string, unknown>).movie_a)).toEqual([[90 * 333, 721 * 333]]);
  });
});

describe("addSectionTime on a simulated recording", () => {
  let dir: string;
  let rec: SimulatedRecording;
  let session: PipelineSession;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-sections-"));
    rec = await simulateRecording({ outputDir: dir, durationS: 40, unitCount: 4, seed: 5 });
    session = await loadRecording({ cmcrPath: rec.cmcrPath, cmtrPath: rec.cmtrPath, session: new PipelineSession({ datasetId: "sim", logger: recordingLogger() }) });
    await addSectionTime({
      playlistName: rec.playlistName,
      playlistPath: rec.playlistCsvPath,
      movieLengthPath: rec.movieLengthCsvPath,
      session,
    });
  }, 600_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("every movie's section spans its planted content with the reference's 60 / 120 frame margins", () => {
    const ts = rec.groundTruth.display.frameTimestamps;
    const last = ts.length - 1;
    const sectionTime = session.stimulus.section_time as Record<string, unknown>;
    expect(Object.keys(sectionTime)).toEqual(rec.groundTruth.playlist.movies.map((m) => m.name));
    for (const movie of rec.groundTruth.playlist.movies) {
      const start = movie.contentStartFrame - 60;
      const end = Math.min(movie.contentStartFrame + movie.lengthFrames + 121, last);
      expect(rows(sectionTime[movie.name]), movie.name).toEqual([[ts[start], ts[end]]]);
    }
    expect(session.warnings).toEqual([]);
  });

  it("the light template of the step movie shows its planted light steps", () => {
    const step = rec.groundTruth.playlist.movies.find((m) => m.kind === "step")!;
    const template = (session.stimulus.light_template as Record<string, Float32Array>)[step.name];
    const ts = rec.groundTruth.display.frameTimestamps;
    const sectionStart = ts[step.contentStartFrame - 60];
    const middleOf = (frame: number) => Math.round((ts[frame] + ts[frame + 1]) / 2) - sectionStart;
    const firstOn = step.contentStartFrame + rec.recipe.stepLeadFrames + 10;
    const firstOff = firstOn + rec.recipe.stepFrames;
    expect(template[middleOf(firstOn)]).toBeGreaterThan(template[middleOf(firstOff)]);
    expect(template[middleOf(firstOn)]).toBeGreaterThan(template[middleOf(step.contentStartFrame - 30)]);
  });

  it("save → load keeps section times (int64 on disk) and templates exactly", async () => {
    const file = path.join(dir, "after-sections.h5");
    await session.save(file);
    const loaded = await PipelineSession.load(file);
    expectSameContents(loaded.stimulus.section_time, session.stimulus.section_time, "section_time");
    expectSameContents(loaded.stimulus.light_template, session.stimulus.light_template, "light_template");
    expect(loaded.metadata.section_time_playlist).toBe(rec.playlistName);
    expect(loaded.metadata.section_time_repeats).toBe(1);
    expect(loaded.completedSteps.has("add_section_time")).toBe(true);
    const { default: h5 } = await import("h5wasm/node" as string);
    await h5.ready;
    const f = new h5.File(file, "r");
    try {
      const movie = rec.groundTruth.playlist.movies[0].name;
      expect(f.get(`stimulus/section_time/${movie}`).dtype).toBe("<q");
      expect(f.get(`metadata/section_time_repeats`).dtype).toBe("<q");
    } finally {
      f.close();
    }
  });
});

describe("addSectionTime — order, bad input, skip and force", () => {
  const tempDir = useTempDir();

  it("before loadRecording: the reference's warning, a failed record, no data", async () => {
    const session = new PipelineSession({ datasetId: "x", logger: recordingLogger() });
    await addSectionTime({ ...writeFixtureCsvs(tempDir()), playlistName: "test_playlist", session });
    expect(session.warnings).toEqual(["Session does not contain loaded recording data. Run load_recording first."]);
    expect(session.stepRecords.at(-1)!.status).toBe(StepStatus.FAILED);
    expect(session.completedSteps.has("add_section_time")).toBe(false);
    expect(session.stimulus).toEqual({});
  });

  it("each input problem gives the reference's warning naming the file or parameter; the data is left as it was", async () => {
    const csvs = writeFixtureCsvs(tempDir());
    const broken = path.join(tempDir(), "broken.csv");
    fs.writeFileSync(broken, "movie_name,movie_length\nmovie_a,six hundred\n");
    const noHeader = path.join(tempDir(), "no-header.csv");
    fs.writeFileSync(noHeader, "name,movies\nx,\"['a.mov']\"\n");
    const cases: Array<[Record<string, unknown>, string | RegExp]> = [
      [{ playlistName: null }, "playlist_name is required"],
      [{ playlistName: "  " }, "playlist_name is required"],
      [{ playlistPath: path.join(tempDir(), "missing.csv") }, /^Failed to load playlist configuration: .*missing\.csv/],
      [{ playlistPath: null }, /^Failed to load playlist configuration: playlistPath is not set/],
      [{ playlistPath: noHeader }, /^Failed to load playlist configuration: .*no-header\.csv.*'playlist_name'/],
      [{ movieLengthPath: broken }, /^Failed to load movie length configuration: .*broken\.csv', row 2, column 'movie_length'/],
      [{ movieLengthPath: tempDir() }, /^Failed to load movie length configuration: .*EISDIR/],
      [{ playlistName: "nope" }, "Playlist 'nope' not found. Available: ['test_playlist', 'single_movie']"],
    ];
    for (const [change, expected] of cases) {
      const session = loadedSession({ rawCh1: false });
      const stimulusBefore = session.stimulus;
      const metadataBefore = session.metadata;
      await addSectionTime({ ...csvs, playlistName: "test_playlist", ...change, session });
      expect(session.warnings).toEqual([expected instanceof RegExp ? expect.stringMatching(expected) : expected]);
      expect(session.stimulus).toBe(stimulusBefore);
      expect(session.metadata).toBe(metadataBefore);
    }
  });

  it("no frame timestamps → warning; no movie with a length → warning; nothing stored", async () => {
    const csvs = writeFixtureCsvs(tempDir());
    const noFrames = new PipelineSession({ datasetId: "x", logger: recordingLogger() }).markStepComplete("load_recording");
    await addSectionTime({ ...csvs, playlistName: "test_playlist", session: noFrames });
    expect(noFrames.warnings).toEqual(["No frame_timestamps found in session"]);
    expect(noFrames.stimulus.section_time).toBeUndefined();

    fs.writeFileSync(csvs.movieLengthPath, "movie_name,movie_length\nother,10\n");
    const session = loadedSession({ rawCh1: false });
    await addSectionTime({ ...csvs, playlistName: "single_movie", session });
    expect(session.warnings).toEqual([expect.stringMatching(/^Movie 'movie_a' is not in/), "No section times computed - no valid movies found"]);
    expect(session.stimulus.section_time).toBeUndefined();
    expect(session.metadata.section_time_playlist).toBeUndefined();
  });

  it("bad frame options are ConfigurationErrors before anything runs", async () => {
    const session = loadedSession({ rawCh1: false });
    const csvs = writeFixtureCsvs(tempDir());
    await expect(addSectionTime({ ...csvs, playlistName: "test_playlist", padFrame: -1, session })).rejects.toThrow(ConfigurationError);
    await expect(addSectionTime({ ...csvs, playlistName: "test_playlist", repeats: 1.5, session })).rejects.toThrow(/repeats must be a whole number/);
    await expect(addSectionTime({ ...csvs, playlistName: "test_playlist", preMarginFrameNum: 0.5, session })).rejects.toThrow(/preMarginFrameNum/);
    expect(session.stepRecords).toEqual([]);
  });

  it("a second run keeps the existing section times (warning, step completed); force recomputes them", async () => {
    const csvs = writeFixtureCsvs(tempDir());
    const session = await addSectionTime({ ...csvs, playlistName: "test_playlist", session: loadedSession({ rawCh1: false }) });
    const first = session.stimulus.section_time;
    await addSectionTime({ ...csvs, playlistName: "test_playlist", repeats: 2, session });
    expect(session.stimulus.section_time).toBe(first);
    expect(session.warnings).toEqual([expect.stringMatching(/^section_time already holds 'movie_a', 'movie_b', 'movie_c'.*force: true/)]);
    expect(session.stepRecords.map((r) => r.status)).toEqual([StepStatus.COMPLETED, StepStatus.COMPLETED]);

    await addSectionTime({ ...csvs, playlistName: "test_playlist", repeats: 2, force: true, session });
    expect(rows((session.stimulus.section_time as Record<string, unknown>).movie_a)).toHaveLength(2);
    expect(session.metadata.section_time_repeats).toBe(2);
  });

  it("analog sections added before are kept (section_time is merged, not replaced)", async () => {
    const csvs = writeFixtureCsvs(tempDir());
    const session = loadedSession({ rawCh1: false });
    session.addStimulus({ section_time: { iprgc_test: new NdArray(Float64Array.of(10, 20), [1, 2]) } });
    await addSectionTime({ ...csvs, playlistName: "single_movie", session });
    expect(Object.keys(session.stimulus.section_time as object)).toEqual(["iprgc_test", "movie_a"]);
  });

  it("hdf5Path mode loads, runs and saves back", async () => {
    const csvs = writeFixtureCsvs(tempDir());
    const file = await loadedSession({ rawCh1: false }).save(path.join(tempDir(), "s.h5"));
    const result = await addSectionTime({ ...csvs, playlistName: "test_playlist", repeats: 2, hdf5Path: file });
    expect(result.record.status).toBe(StepStatus.COMPLETED);
    const loaded = await PipelineSession.load(file);
    expect(rows((loaded.stimulus.section_time as Record<string, unknown>).movie_b)).toEqual([[359_973, 819_846], [1_619_712, 1_664_667]]);
    expect(loaded.completedSteps.has("add_section_time")).toBe(true);
  });
});
