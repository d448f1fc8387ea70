/**
 * Where computeSta gets its noise movie: `<stimuliDir>/<movie>.npy` or an array the caller passes, checked
 * (uint8, three axes) and prepared once for the STA kernel.
 *
 * Prepared movies are remembered so that re-running a computeSta cell with another coverRange skips reading and
 * preparing the movie: a file is remembered by path, size and modification time (the two most recent files), an
 * array by identity (as long as the caller keeps it). Like the compiled WebAssembly kernels, this is a cache of
 * derived handles, never of results: the same inputs always give the same prepared movie.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigurationError, DataLoadError, FileNotFoundError } from "../errors";
import { NdArray } from "../hdf5/values";
import { readNpy } from "../io/npy-reader";
import { prepareStaMovie, type StaMovie } from "../dsp/sta";
import { staMessages as messages } from "./sta-messages";

/** A prepared noise movie and how to name it in messages. */
export interface NoiseMovieSource {
  readonly movie: StaMovie;
  /** The .npy path, or "passed as movie". */
  readonly description: string;
  /** The file, or null for an array. */
  readonly filePath: string | null;
}

const FILE_CACHE_SIZE = 2;
const preparedFiles = new Map<string, StaMovie>();
const preparedArrays = new WeakMap<object, { shape: string; movie: StaMovie }>();

/** Loads (or takes) and prepares the noise movie `movieName`. */
export function noiseMovieSource(options: {
  movieName: string;
  stimuliDir: string | null;
  movie: NdArray | null;
}): NoiseMovieSource {
  if (options.movie !== null) return fromArray(options.movie);
  if (options.stimuliDir === null) throw new ConfigurationError(messages.noMovieSource());
  return fromFile(path.resolve(options.stimuliDir, `${options.movieName}.npy`));
}

function fromArray(movie: NdArray): NoiseMovieSource {
  const description = "passed as movie";
  const { data, shape } = movie;
  if (!(data instanceof Uint8Array)) throw new ConfigurationError(messages.movieNotUint8(description, data.constructor.name));
  if (shape.length !== 3) throw new ConfigurationError(messages.movieNotThreeD(description, shape));
  const key = shape.join("x");
  const cached = preparedArrays.get(data);
  if (cached !== undefined && cached.shape === key) return { movie: cached.movie, description, filePath: null };
  const prepared = prepareStaMovie({ movie: data, movieShape: shape });
  preparedArrays.set(data, { shape: key, movie: prepared });
  return { movie: prepared, description, filePath: null };
}

function fromFile(file: string): NoiseMovieSource {
  if (!fs.existsSync(file)) throw new FileNotFoundError(file, messages.movieFileNotFound(file));
  const stat = fs.statSync(file);
  const key = `${file}|${stat.size}|${stat.mtimeMs}`;
  const cached = preparedFiles.get(key);
  if (cached !== undefined) return { movie: cached, description: file, filePath: file };
  const npy = readNpy({ npyPath: file });
  if (npy.dtype !== "uint8") throw new DataLoadError(file, messages.movieNotUint8(file, npy.dtype));
  if (npy.shape.length !== 3) throw new DataLoadError(file, messages.movieNotThreeD(file, npy.shape));
  const prepared = prepareStaMovie({ movie: npy.data as Uint8Array, movieShape: npy.shape });
  for (const old of preparedFiles.keys()) if (old.startsWith(`${file}|`)) preparedFiles.delete(old);
  preparedFiles.set(key, prepared);
  while (preparedFiles.size > FILE_CACHE_SIZE) preparedFiles.delete(preparedFiles.keys().next().value as string);
  return { movie: prepared, description: file, filePath: file };
}
