/**
 * The bookkeeping of `add_section_time` (reference §3.4): where each movie of a playlist was shown, from the
 * playlist order, the movie lengths in display frames and the detected frame timestamps — plus the light
 * templates, the mean light-reference trace of each movie over its occurrences.
 */
import { ConfigurationError } from "../errors";
import { NdArray } from "../hdf5/values";
import { clipFrame } from "./frames";
import { messages } from "./messages";
import { nanPaddedMean } from "./templates";

/** Padding the recording puts around every movie, in display frames (reference constants). */
export const SECTION_PADDING_FRAMES = {
  /** `DEFAULT_PAD_FRAME`: blank frames before and after every movie. */
  pad: 180,
  /** `PRE_MARGIN_FRAME_NUM`: frames of the leading pad kept in the section. */
  preMargin: 60,
  /** `POST_MARGIN_FRAME_NUM`: frames of the trailing pad kept in the section. */
  postMargin: 120,
} as const;

/** Options of {@link computeSectionTimes}. */
export interface SectionTimesOptions {
  /** Movie names in playlist order, without file extension (e.g. `["movie_a", "movie_b"]`). */
  movieNames: readonly string[];
  /** Length of each movie in display frames (the movie-length table). */
  movieLengths: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /** Sample index of every display frame, ascending (`metadata.frame_timestamps`). */
  frameTimestamps: ArrayLike<number>;
  /** How often the whole playlist was played; values ≤ 0 count as 1 (default 1). */
  repeats?: number;
  /** Blank frames around each movie (default 180). */
  padFrame?: number;
  /** Frames of the leading pad included in a section (default 60). */
  preMarginFrameNum?: number;
  /** Frames of the trailing pad included in a section (default 120). */
  postMarginFrameNum?: number;
  /** The light-reference trace (`stimulus.light_reference.raw_ch1`); templates are computed only when given. */
  lightReference?: ArrayLike<number>;
}

/** Result of {@link computeSectionTimes}; maps iterate in playlist order of first appearance. */
export interface SectionTimes {
  /** Per movie, one `[startFrame, endFrame]` per occurrence (unclipped display frames). */
  frames: Map<string, Array<[number, number]>>;
  /** Per movie, `section_time`: (occurrences × 2) sample indices `[start, end]`, clipped to the detected frames. */
  sectionTime: Map<string, NdArray<Float64Array>>;
  /** Per movie, `light_template`: NaN-padded mean of the light reference over the occurrences (float32). */
  lightTemplate: Map<string, Float32Array>;
  /** Movies of the playlist missing from the length table, each once; they were skipped without advancing. */
  missingMovies: string[];
}

/**
 * Computes `section_time` and `light_template` for every movie of a playlist. With frame counter fc (0 at the
 * start, advanced by 2·pad + L + 1 per movie), a movie of length L occupies frames
 * `[fc + pad − preMargin, fc + pad + postMargin + L + 1]`; its content starts at frame fc + pad. Frames are
 * turned into samples through the frame timestamps, clipping to the last detected frame (late sections can
 * collapse to zero length). A movie missing from the length table is skipped without advancing fc, so later
 * movies move earlier — the reference's behaviour, reported in `missingMovies` so the caller can warn.
 *
 * @throws ConfigurationError when there are no frame timestamps or a movie length is not a non-negative integer.
 */
export function computeSectionTimes(options: SectionTimesOptions): SectionTimes {
  const { movieNames, frameTimestamps, lightReference } = options;
  if (frameTimestamps.length === 0) throw new ConfigurationError(messages.noFrameTimestamps("computeSectionTimes"));
  const pad = options.padFrame ?? SECTION_PADDING_FRAMES.pad;
  const pre = options.preMarginFrameNum ?? SECTION_PADDING_FRAMES.preMargin;
  const post = options.postMarginFrameNum ?? SECTION_PADDING_FRAMES.postMargin;
  const repeats = options.repeats !== undefined && options.repeats > 0 ? Math.trunc(options.repeats) : 1;
  const lengthOf = lookup(options.movieLengths);
  const frameCount = frameTimestamps.length;

  const frames = new Map<string, Array<[number, number]>>();
  const pieces = new Map<string, Array<ArrayLike<number>>>();
  const missing = new Set<string>();
  let frameCounter = 0;
  for (let r = 0; r < repeats; r++) {
    for (const movie of movieNames) {
      const length = lengthOf(movie);
      if (length === undefined) {
        missing.add(movie);
        continue;
      }
      if (!Number.isInteger(length) || length < 0) throw new ConfigurationError(messages.negativeSectionLength(movie));
      const startFrame = frameCounter + pad - pre;
      const endFrame = frameCounter + pad + post + length + 1;
      appendTo(frames, movie, [startFrame, endFrame] as [number, number]);
      if (lightReference !== undefined) {
        const s0 = Math.max(frameTimestamps[clipFrame(startFrame, frameCount)], 0);
        const s1 = Math.min(frameTimestamps[clipFrame(endFrame, frameCount)], lightReference.length);
        if (s0 < s1) appendTo(pieces, movie, sliceOf(lightReference, s0, s1));
      }
      frameCounter += 2 * pad + length + 1;
    }
  }

  const sectionTime = new Map<string, NdArray<Float64Array>>();
  const lightTemplate = new Map<string, Float32Array>();
  for (const [movie, rows] of frames) {
    const samples = new Float64Array(rows.length * 2);
    rows.forEach(([start, end], i) => {
      samples[2 * i] = frameTimestamps[clipFrame(start, frameCount)];
      samples[2 * i + 1] = frameTimestamps[clipFrame(end, frameCount)];
    });
    sectionTime.set(movie, new NdArray(samples, [rows.length, 2]));
    const moviePieces = pieces.get(movie);
    if (moviePieces !== undefined) lightTemplate.set(movie, nanPaddedMean({ pieces: moviePieces }));
  }
  return { frames, sectionTime, lightTemplate, missingMovies: [...missing] };
}

/**
 * The movie name the reference derives from a playlist entry: everything before the first dot
 * (`"movie_a.mov"` → `"movie_a"`, `"a.b.mov"` → `"a"`).
 */
export function movieNameFromFileName(options: { fileName: string }): string {
  return options.fileName.split(".")[0];
}

function lookup(lengths: ReadonlyMap<string, number> | Readonly<Record<string, number>>): (movie: string) => number | undefined {
  if (lengths instanceof Map) return (movie) => lengths.get(movie);
  const record = lengths as Readonly<Record<string, number>>;
  return (movie) => (Object.prototype.hasOwnProperty.call(record, movie) ? record[movie] : undefined);
}

function appendTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function sliceOf(values: ArrayLike<number>, start: number, end: number): ArrayLike<number> {
  if (ArrayBuffer.isView(values)) return (values as unknown as Float32Array).subarray(start, end);
  return Array.prototype.slice.call(values, start, end) as number[];
}
