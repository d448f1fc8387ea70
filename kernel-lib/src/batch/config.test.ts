/**
 * Batch files: TOML and YAML read the same, paths resolve relative to the file, and every bad input is a
 * BatchConfigError naming the file, the key and its line — before anything is written.
 */
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { BatchConfigError, ErrorCode } from "../errors";
import { useTempDir } from "../test-support/temp-dir";
import { BatchConfig } from "./config";
import { discoverRecordings, globToRegExp } from "./discover";
import { freezeManifest } from "./manifest";

const tempDir = useTempDir();

const TOML = `name = "demo"

[recordings]
root = "data"
pattern = "**/*.cm?r"

[stimulus]
playlist = "stim/playlist.csv"
movie_length = "stim/movie_length.csv"
playlist_name = "p1"
config_dir = "{recording_dir}/configs"

[[pipeline]]
step = "load_recording"

[[pipeline]]
step = "add_section_time"
repeats = 2

[[pipeline]]
step = "section_spike_times"

[output]
dir = "out"

[resources]
partition = "short"
memory = "2G"
max_parallel = 4
`;

const YAML = `name: demo
recordings:
  root: data
  pattern: "**/*.cm?r"
stimulus:
  playlist: stim/playlist.csv
  movie_length: stim/movie_length.csv
  playlist_name: p1
  config_dir: "{recording_dir}/configs"
pipeline:
  - step: load_recording
  - step: add_section_time
    repeats: 2
  - step: section_spike_times
output:
  dir: out
resources:
  partition: short
  memory: 2G
  max_parallel: 4
`;

function write(name: string, text: string): string {
  const file = path.join(tempDir(), name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function touch(...names: string[]): void {
  for (const name of names) write(path.join("data", name), "");
}

function configError(file: string): BatchConfigError {
  try {
    BatchConfig.fromFile(file);
  } catch (error) {
    expect(error).toBeInstanceOf(BatchConfigError);
    return error as BatchConfigError;
  }
  throw new Error(`${file} was accepted`);
}

describe("BatchConfig.fromFile", () => {
  it.each([
    ["batch.toml", TOML],
    ["batch.yaml", YAML],
  ])("reads %s with paths relative to the file", (name, text) => {
    const file = write(name, text);
    const config = BatchConfig.fromFile(file);
    const dir = tempDir();
    expect(config.name).toBe("demo");
    expect(config.recordings).toEqual({ kind: "folder", root: path.join(dir, "data"), pattern: "**/*.cm?r" });
    expect(config.stimulus).toEqual({
      playlist: path.join(dir, "stim", "playlist.csv"),
      movie_length: path.join(dir, "stim", "movie_length.csv"),
      playlist_name: "p1",
      config_dir: "{recording_dir}/configs",
    });
    expect(config.pipeline).toEqual([
      { step: "load_recording", options: {} },
      { step: "add_section_time", options: { repeats: 2 } },
      { step: "section_spike_times", options: {} },
    ]);
    expect(config.outputDir).toBe(path.join(dir, "out"));
    expect(config.resources).toMatchObject({ partition: "short", memory: "2G", maxParallel: 4, cpusPerTask: 1, maxArraySize: null });
    expect(config.local).toEqual({ workers: 1, workerMemoryMb: null });
  });

  it("rejects invalid TOML with the parser's line", () => {
    const error = configError(write("bad.toml", `name = "x"\n[recordings\nroot = "data"\n`));
    expect(error.code).toBe(ErrorCode.BATCH_CONFIG);
    expect(error.filePath).toBe(path.join(tempDir(), "bad.toml"));
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/bad\.toml is not valid TOML at line 2/);
  });

  it("rejects invalid YAML with the parser's line", () => {
    const error = configError(write("bad.yaml", `name: x\nrecordings:\n  root: [data\n  pattern: x\n`));
    expect(error.message).toMatch(/bad\.yaml is not valid YAML at line \d/);
    expect(error.line).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ["batch.toml", TOML.replace('pattern = "**/*.cm?r"', 'pattern = "**/*.cm?r"\nrooot = "x"'), "recordings.rooot", 6],
    ["batch.yaml", YAML.replace('  pattern: "**/*.cm?r"', '  pattern: "**/*.cm?r"\n  rooot: x'), "recordings.rooot", 5],
    ["top.toml", `colour = "red"\n${TOML}`, "colour", 1],
    ["step.toml", TOML.replace("repeats = 2", "repeats = 2\ncoverRange = [-10, 0]"), "pipeline[1].coverRange", 19],
    ["step.yaml", YAML.replace("    repeats: 2", "    repeats: 2\n    coverRnage: 3"), "pipeline[1].coverRnage", 14],
  ])("rejects unknown keys (%s)", (name, text, key, line) => {
    const error = configError(write(name, text));
    expect(error.key).toBe(key);
    expect(error.line).toBe(line);
    expect(error.message).toContain(`'${key}'`.replace(/^'pipeline\[1\]\.(\w+)'$/, "pipeline[1].$1"));
    expect(error.message).toContain(name);
  });

  it("names the allowed options of a step and refuses options the batch fills in", () => {
    expect(configError(write("s.toml", TOML.replace("repeats = 2", "repeats = 2\ncoverRange = [-10, 0]"))).message).toMatch(/Options you can set: .*'repeats'/);
    const filled = configError(write("f.toml", TOML.replace("repeats = 2", 'playlistPath = "x.csv"')));
    expect(filled.key).toBe("pipeline[1].playlistPath");
    expect(filled.message).toMatch(/gets 'playlistPath' from \[recordings\]\/\[stimulus\]/);
  });

  it("rejects an unknown step, a missing pipeline and a step without its stimulus files", () => {
    expect(configError(write("u.toml", TOML.replace('step = "section_spike_times"', 'step = "spike_sort"'))).key).toBe("pipeline[2].step");
    expect(configError(write("p.toml", TOML.split("[[pipeline]]")[0])).key).toBe("pipeline");
    const needs = configError(write("n.toml", TOML.replace('playlist_name = "p1"\n', "")));
    expect(needs.message).toMatch(/needs stimulus\.playlist_name/);
  });

  it("rejects an empty pattern, both root and list, and wrong types with the key and line", () => {
    const empty = configError(write("e.toml", TOML.replace('pattern = "**/*.cm?r"', 'pattern = ""')));
    expect([empty.key, empty.line]).toEqual(["recordings.pattern", 5]);
    expect(configError(write("b.toml", TOML.replace('root = "data"', 'root = "data"\nlist = "x.csv"'))).key).toBe("recordings");
    const workers = configError(write("w.toml", `${TOML}\n[local]\nworkers = 0\n`));
    expect(workers.key).toBe("local.workers");
    expect(workers.message).toMatch(/whole number ≥ 1, got 0/);
  });
});

describe("discovering recordings", () => {
  it("pairs X.cmcr with X.cmtr or the lab's X-.cmtr, sorted by id", async () => {
    touch("b/rec2.cmcr", "b/rec2-.cmtr", "a/rec1.cmcr", "a/rec1.cmtr", "a/notes.txt");
    const config = BatchConfig.fromFile(write("batch.toml", TOML));
    expect(discoverRecordings(config).map((r) => [r.recordingId, path.relative(tempDir(), r.cmtrPath)])).toEqual([
      ["rec1", path.join("data", "a", "rec1.cmtr")],
      ["rec2", path.join("data", "b", "rec2-.cmtr")],
    ]);
    // The manifest keeps indices when a recording is added later.
    const first = await freezeManifest(config);
    touch("a/rec0.cmcr", "a/rec0.cmtr");
    const second = await freezeManifest(config);
    expect(first.recordings.map((r) => r.recordingId)).toEqual(["rec1", "rec2"]);
    expect(second.recordings.map((r) => [r.index, r.recordingId])).toEqual([
      [0, "rec1"],
      [1, "rec2"],
      [2, "rec0"],
    ]);
  });

  it("names a missing root, a pattern matching nothing, and unmatched files — writing nothing", async () => {
    const missing = BatchConfig.fromFile(write("batch.toml", TOML));
    await expect(freezeManifest(missing)).rejects.toMatchObject({ code: ErrorCode.BATCH_CONFIG, key: "recordings.root", line: 4 });
    touch("a/rec1.cmcr", "a/rec1.cmtr", "a/lonely.cmcr", "b/orphan.cmtr");
    const unmatched = BatchConfig.fromFile(write("batch.toml", TOML));
    await expect(freezeManifest(unmatched)).rejects.toThrow(/no partner.*'a\/lonely\.cmcr', 'b\/orphan\.cmtr'/);
    const nothing = BatchConfig.fromFile(write("batch.toml", TOML.replace("**/*.cm?r", "*.xyz")));
    await expect(freezeManifest(nothing)).rejects.toMatchObject({ key: "recordings.pattern" });
    expect(fs.existsSync(path.join(tempDir(), "out"))).toBe(false);
  });

  it("reads a CSV list like the lab's, relative to the list, and names bad rows", () => {
    touch("a/r1.cmcr", "a/r1-.cmtr");
    write("list.csv", `recording_id,cmcr_path,cmtr_path,notes\nfirst,data/a/r1.cmcr,data/a/r1-.cmtr,"ok, fine"\n`);
    const text = TOML.replace('root = "data"\npattern = "**/*.cm?r"', 'list = "list.csv"');
    const config = BatchConfig.fromFile(write("batch.toml", text));
    expect(discoverRecordings(config)).toEqual([
      { recordingId: "first", cmcrPath: path.join(tempDir(), "data/a/r1.cmcr"), cmtrPath: path.join(tempDir(), "data/a/r1-.cmtr") },
    ]);
    write("list.csv", `cmcr_path,cmtr_path\ndata/a/r1.cmcr,data/a/missing.cmtr\n`);
    expect(() => discoverRecordings(config)).toThrow(/line 2 of .*list\.csv names .*missing\.cmtr/);
  });

  it("turns globs into anchored, folder-aware expressions", () => {
    expect(globToRegExp("*.cmcr").test("a.cmcr")).toBe(true);
    expect(globToRegExp("*.cmcr").test("x/a.cmcr")).toBe(false);
    expect(globToRegExp("**/*.cmcr").test("x/y/a.cmcr")).toBe(true);
    expect(globToRegExp("**/*.cmcr").test("a.cmcr")).toBe(true);
    expect(globToRegExp("rec-0[1-3]/*").test("rec-02/a.cmtr")).toBe(true);
    expect(globToRegExp("rec-0[1-3]/*").test("rec-04/a.cmtr")).toBe(false);
  });
});
