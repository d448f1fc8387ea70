/**
 * The stimulus side of a simulated recording, in the formats the pipeline reads (hdmea-pipeline.md §3.4, §3.6,
 * §3.7): playlist CSV, movie-length CSV, one JSON config per movie and the noise movie as .npy.
 */
import * as fs from "fs";
import * as path from "path";
import { encodeNpy } from "../io/npy-writer";
import { NOISE_GRID, noiseMovieFrames, type StimulusPlan } from "./stimulus-plan";

/** Where the stimulus files of a simulated recording are. */
export interface StimulusFiles {
  /** The folder holding everything below. */
  readonly stimulusDir: string;
  readonly playlistCsvPath: string;
  readonly movieLengthCsvPath: string;
  /** Folder of `{movie}.json` stimulus configs (the reference's config_dir). */
  readonly configDir: string;
  /** Folder of `{movie}.npy` stimulus movies (the reference's stimuli_dir). */
  readonly moviesDir: string;
  readonly playlistName: string;
  /** Path of the noise movie, or null when the playlist has none. */
  readonly noiseMoviePath: string | null;
}

/** The playlist name written into the playlist CSV. */
export const PLAYLIST_NAME = "simulated_playlist";

/** The file paths the stimulus files of `outputDir` will have. */
export function stimulusFilePaths(outputDir: string, plan: StimulusPlan): StimulusFiles {
  const stimulusDir = path.join(outputDir, "stimuli");
  const moviesDir = path.join(stimulusDir, "movies");
  return {
    stimulusDir,
    playlistCsvPath: path.join(stimulusDir, "playlist.csv"),
    movieLengthCsvPath: path.join(stimulusDir, "movie_length.csv"),
    configDir: path.join(stimulusDir, "configs"),
    moviesDir,
    playlistName: PLAYLIST_NAME,
    noiseMoviePath: plan.noiseMovieName === null ? null : path.join(moviesDir, `${plan.noiseMovieName}.npy`),
  };
}

/** Writes the stimulus files of `plan` to the paths of `files`. */
export function writeStimulusFiles(files: StimulusFiles, plan: StimulusPlan): void {
  fs.mkdirSync(files.configDir, { recursive: true });
  fs.mkdirSync(files.moviesDir, { recursive: true });
  const list = `[${plan.movies.map((movie) => `'${movie.fileName}'`).join(", ")}]`;
  fs.writeFileSync(files.playlistCsvPath, `playlist_name,movie_names\n${files.playlistName},"${list}"\n`);
  const lengths = plan.movies.map((movie) => `${movie.name},${movie.lengthFrames}`).join("\n");
  fs.writeFileSync(files.movieLengthCsvPath, `movie_name,movie_length\n${lengths}\n`);
  for (const movie of plan.movies) {
    const config = {
      name: movie.name,
      description: `Simulated ${movie.kind} stimulus (hdmea simulator).`,
      section_kwargs: movie.sectionKwargs,
    };
    fs.writeFileSync(path.join(files.configDir, `${movie.name}.json`), `${JSON.stringify(config, null, 2)}\n`);
  }
  if (files.noiseMoviePath !== null) {
    const frames = noiseMovieFrames(plan);
    fs.writeFileSync(files.noiseMoviePath, encodeNpy(frames, [frames.length / (NOISE_GRID * NOISE_GRID), NOISE_GRID, NOISE_GRID]));
  }
}
