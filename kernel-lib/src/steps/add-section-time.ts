/**
 * `addSectionTime` (reference §3.4): where each movie of a playlist was shown, from the playlist order, the movie
 * lengths and the detected display frames — no analog detection involved.
 *
 *   read playlist + movie-length CSVs → find the playlist → frame timestamps → computeSectionTimes →
 *   stimulus.section_time / stimulus.light_template + metadata.section_time_playlist / section_time_repeats
 *
 * Input problems the reference treats as recoverable (no playlist name, an unreadable CSV, an unknown playlist, no
 * frame timestamps) become its warnings and leave the data as it was.
 */
import { computeSectionTimes } from "../dsp/section-time";
import { ConfigurationError, HdmeaError } from "../errors";
import { NdArray, isNumericArray, isSessionMap, type SessionMap, type SessionValue } from "../hdf5/values";
import { readMovieLengthCsv, readPlaylistCsv } from "../io/stimulus-configs";
import type { PipelineSession } from "../session/session";
import { defineStep } from "./define-step";
import { sectionMessages as messages } from "./section-messages";

/** Options of {@link addSectionTime}. */
export interface AddSectionTimeOptions {
  /** Row of the playlist CSV to use (`playlist_name` column). */
  playlistName: string | null;
  /** Playlist CSV: columns `playlist_name`, `movie_names` (a Python list literal of file names). */
  playlistPath: string | null;
  /** Movie-length CSV: columns `movie_name`, `movie_length` (display frames). */
  movieLengthPath: string | null;
  /** How often the whole playlist was played in a row; values ≤ 0 count as 1. */
  repeats: number;
  /** Blank frames the display put before and after every movie. */
  padFrame: number;
  /** Frames of the leading pad kept in each section. */
  preMarginFrameNum: number;
  /** Frames of the trailing pad kept in each section. */
  postMarginFrameNum: number;
  /** Recompute although `section_time` already holds movies of this playlist. */
  force: boolean;
}

/**
 * Computes `stimulus.section_time.<movie>` ((occurrences × 2) start/end sample indices) and
 * `stimulus.light_template.<movie>` (mean photodiode trace, float32) for every movie of a playlist, and records
 * the playlist in `metadata.section_time_playlist` / `section_time_repeats`.
 *
 * @example await addSectionTime({ playlistName: "set6a", playlistPath: "playlist.csv", movieLengthPath: "movie_length.csv", session })
 */
export const addSectionTime = defineStep<AddSectionTimeOptions>({
  name: "add_section_time",
  requires: [{ anyOf: ["load_recording", "load_recording_with_eimage_sta"], ifMissing: "warn", message: messages.needsRecording() }],
  defaults: {
    playlistName: null,
    playlistPath: null,
    movieLengthPath: null,
    repeats: 1,
    padFrame: 180,
    preMarginFrameNum: 60,
    postMarginFrameNum: 120,
    force: false,
  },
  validate: (options) => {
    for (const name of ["padFrame", "preMarginFrameNum", "postMarginFrameNum"] as const) {
      const value = options[name];
      if (!Number.isInteger(value) || value < 0) throw new ConfigurationError(messages.badFrameOption(name, value));
    }
    if (!Number.isInteger(options.repeats)) throw new ConfigurationError(messages.badRepeats(options.repeats));
  },
  run: ({ session, options, warn, skip }) => {
    const { playlistName } = options;
    if (typeof playlistName !== "string" || playlistName.trim() === "") return skip(messages.playlistNameRequired());

    const playlists = readTable(options.playlistPath, "playlistPath", "playlist_name, movie_names", readPlaylistCsv);
    if (!playlists.ok) return skip(messages.playlistLoadFailed(playlists.detail));
    const lengths = readTable(options.movieLengthPath, "movieLengthPath", "movie_name, movie_length", readMovieLengthCsv);
    if (!lengths.ok) return skip(messages.movieLengthLoadFailed(lengths.detail));
    const movieNames = playlists.value.get(playlistName);
    if (movieNames === undefined) return skip(messages.playlistNotFound(playlistName, [...playlists.value.keys()]));

    const present = movieNames.filter((movie) => sectionTimeOf(session)?.[movie] !== undefined);
    if (present.length > 0 && !options.force) return warn(messages.sectionTimeExists([...new Set(present)]));

    const frameTimestamps = frameTimestampsOf(session);
    if (frameTimestamps === undefined) return skip(messages.noFrameTimestamps());
    const light = session.stimulus.light_reference;
    const rawCh1 = isSessionMap(light) ? numbersOf(light.raw_ch1) : undefined;

    const result = computeSectionTimes({
      movieNames,
      movieLengths: lengths.value,
      frameTimestamps,
      repeats: options.repeats,
      padFrame: options.padFrame,
      preMarginFrameNum: options.preMarginFrameNum,
      postMarginFrameNum: options.postMarginFrameNum,
      lightReference: rawCh1,
    });
    for (const movie of result.missingMovies) warn(messages.movieWithoutLength(movie, options.movieLengthPath as string));
    if (result.sectionTime.size === 0) return skip(messages.noSectionTimes());

    const stimulus: SessionMap = { section_time: Object.fromEntries(result.sectionTime) };
    if (result.lightTemplate.size > 0) stimulus.light_template = Object.fromEntries(result.lightTemplate);
    session.addStimulus(stimulus);
    session.addMetadata({ section_time_playlist: playlistName, section_time_repeats: options.repeats });
  },
});

type TableResult<T> = { ok: true; value: T } | { ok: false; detail: string };

function readTable<T>(
  csvPath: string | null,
  option: string,
  columns: string,
  read: (options: { csvPath: string }) => T,
): TableResult<T> {
  if (typeof csvPath !== "string" || csvPath.trim() === "") return { ok: false, detail: messages.noPathGiven(option, columns) };
  try {
    return { ok: true, value: read({ csvPath }) };
  } catch (error) {
    // Typed reader errors name the file, row and column; anything else (a folder given, no permission) is
    // still a file the user can fix, so it is reported the same way.
    if (error instanceof HdmeaError) return { ok: false, detail: error.message };
    return { ok: false, detail: `${csvPath}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** `stimulus.section_time` as a map, or undefined. @internal */
export function sectionTimeOf(session: PipelineSession): Readonly<SessionMap> | undefined {
  const value = session.stimulus.section_time;
  return isSessionMap(value) ? value : undefined;
}

/**
 * The display-frame timestamps (sample indices) the reference looks up: `stimulus.frame_times.frame_timestamps`
 * (never filled by the loaders, but honoured) else `metadata.frame_timestamps`; undefined when missing or empty.
 * @internal
 */
export function frameTimestampsOf(session: PipelineSession): ArrayLike<number> | undefined {
  const frameTimes = session.stimulus.frame_times;
  const candidates: SessionValue[] = [isSessionMap(frameTimes) ? frameTimes.frame_timestamps : undefined, session.metadata.frame_timestamps];
  for (const candidate of candidates) {
    const values = numbersOf(candidate);
    if (values !== undefined && values.length > 0) return values;
  }
  return undefined;
}

/** A one-dimensional list of numbers held by a session value, or undefined. @internal */
export function numbersOf(value: SessionValue): ArrayLike<number> | undefined {
  const data = value instanceof NdArray ? value.data : value;
  if (isNumericArray(data)) {
    return data instanceof BigInt64Array || data instanceof BigUint64Array ? Float64Array.from(data, Number) : data;
  }
  if (Array.isArray(data) && data.every((v) => typeof v === "number")) return data as number[];
  return undefined;
}
