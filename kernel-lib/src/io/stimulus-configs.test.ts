import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataLoadError, FileNotFoundError } from "../errors";
import { parseStringList, readMovieLengthCsv, readPlaylistCsv, readStimulusConfig } from "./stimulus-configs";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hdmea-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe("playlist and movie-length CSVs", () => {
  it("reads the reference fixture format (quoted Python list, names cut at the first dot)", () => {
    const file = write(
      "playlist.csv",
      `playlist_name,movie_names\ntest_playlist,"['movie_a.mov', 'movie_b.mov', ""movie_c.x.mov""]"\r\nsingle_movie,"['movie_a.mov']"\n`,
    );
    const playlists = readPlaylistCsv({ csvPath: file });
    expect(playlists.get("test_playlist")).toEqual(["movie_a", "movie_b", "movie_c"]);
    expect(playlists.get("single_movie")).toEqual(["movie_a"]);
    const lengths = readMovieLengthCsv({ csvPath: write("lengths.csv", "movie_name,movie_length\nmovie_a,600\nmovie_b,1200\nmovie_c,900\n") });
    expect([...lengths]).toEqual([["movie_a", 600], ["movie_b", 1200], ["movie_c", 900]]);
  });

  it("names the file, row and column of a bad cell", () => {
    const file = write("bad-length.csv", "movie_name,movie_length\nmovie_a,600\nmovie_b,12.5\n");
    expect(() => readMovieLengthCsv({ csvPath: file })).toThrow(DataLoadError);
    expect(() => readMovieLengthCsv({ csvPath: file })).toThrow(/row 3, column 'movie_length': "12.5"/);
    const list = write("bad-list.csv", 'playlist_name,movie_names\np,"[movie_a.mov]"\n');
    expect(() => readPlaylistCsv({ csvPath: list })).toThrow(/row 2, column 'movie_names'/);
  });

  it("names a missing column and a missing file", () => {
    const file = write("nocol.csv", "name,length\na,1\n");
    expect(() => readMovieLengthCsv({ csvPath: file })).toThrow(/no column 'movie_name'.*found: name, length/);
    expect(() => readPlaylistCsv({ csvPath: path.join(dir, "none.csv") })).toThrow(FileNotFoundError);
    const open = write("open.csv", 'playlist_name,movie_names\np,"[\'a.mov\'\n');
    expect(() => readPlaylistCsv({ csvPath: open })).toThrow(/row 2: a double quote is never closed/);
  });

  it("parses Python list literals", () => {
    expect(parseStringList("[]")).toEqual([]);
    expect(parseStringList(`['a', "b,c" , 'd\\'e']`)).toEqual(["a", "b,c", "d'e"]);
    expect(parseStringList("['a' 'b']")).toBeUndefined();
    expect(parseStringList("a, b")).toBeUndefined();
  });
});

describe("stimulus JSON configs", () => {
  it("reads section_kwargs with the optional group fields", () => {
    const file = write(
      "green.json",
      JSON.stringify({ name: "x", section_kwargs: { start_frame: 120, trial_length_frame: 720, repeat: 3, group_count: 3, group_gap: 180 } }),
    );
    expect(readStimulusConfig({ jsonPath: file })).toEqual({ startFrame: 120, trialLengthFrame: 720, repeat: 3, groupCount: 3, groupGap: 180 });
    const plain = write("plain.json", JSON.stringify({ section_kwargs: { start_frame: 0, trial_length_frame: 180, repeat: 1 } }));
    expect(readStimulusConfig({ jsonPath: plain })).toMatchObject({ groupCount: 1, groupGap: 0 });
  });

  it("is strict about integers, like the reference (1.0 is refused)", () => {
    const file = write("float.json", '{"section_kwargs": {"start_frame": 0, "trial_length_frame": 1.0, "repeat": 1}}');
    expect(() => readStimulusConfig({ jsonPath: file })).toThrow(/section_kwargs\.trial_length_frame is 1, but it must be an integer ≥ 1/);
    const zero = write("zero.json", '{"section_kwargs": {"start_frame": 0, "trial_length_frame": 10, "repeat": 0}}');
    expect(() => readStimulusConfig({ jsonPath: zero })).toThrow(/repeat/);
    expect(() => readStimulusConfig({ jsonPath: write("broken.json", "{") })).toThrow(/Invalid JSON/);
    expect(() => readStimulusConfig({ jsonPath: write("empty.json", "{}") })).toThrow(/no 'section_kwargs'/);
  });
});
