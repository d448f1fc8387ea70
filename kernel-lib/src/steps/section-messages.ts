/**
 * Messages of addSectionTime, addSectionTimeAnalog and sectionSpikeTimes: the reference's warning texts (§1.13)
 * where it has them — a detail may follow after ": " — and our own errors and warnings otherwise.
 */
export const sectionMessages = {
  // add_section_time (reference §1.13)
  playlistNameRequired: () => "playlist_name is required",
  playlistLoadFailed: (detail: string) => `Failed to load playlist configuration: ${detail}`,
  movieLengthLoadFailed: (detail: string) => `Failed to load movie length configuration: ${detail}`,
  playlistNotFound: (name: string, available: readonly string[]) =>
    `Playlist '${name}' not found. Available: [${available.map((n) => `'${n}'`).join(", ")}]`,
  needsRecording: () => "Session does not contain loaded recording data. Run load_recording first.",
  noFrameTimestamps: () => "No frame_timestamps found in session",
  noSectionTimes: () => "No section times computed - no valid movies found",
  // add_section_time (ours: the reference only logs these)
  noPathGiven: (option: string, columns: string) =>
    `${option} is not set: pass the path of the CSV file with the columns ${columns}.`,
  movieWithoutLength: (movie: string, file: string) =>
    `Movie '${movie}' is not in the movie length file ${file}: it was skipped and the movies after it moved earlier.`,
  sectionTimeExists: (movies: readonly string[]) =>
    `section_time already holds ${movies.map((m) => `'${m}'`).join(", ")}; nothing was recomputed. ` +
    `Pass force: true to compute the section times again.`,
  badFrameOption: (option: string, value: unknown) =>
    `${option} must be a whole number of display frames ≥ 0; got ${JSON.stringify(value)}.`,
  badRepeats: (value: unknown) => `repeats must be a whole number (how often the playlist was played); got ${JSON.stringify(value)}.`,

  // add_section_time_analog (reference §3.5.1)
  thresholdRequired: (value: unknown) =>
    `thresholdValue is required (no default): the minimum rise of raw_ch1 between two samples that counts as a ` +
    `light onset, e.g. 1e5; got ${JSON.stringify(value)}.`,
  plotDurationPositive: (value: unknown) =>
    `plotDuration must be a number of seconds > 0 (the length of each section); got ${JSON.stringify(value)}.`,
  movieNameRequired: (value: unknown) =>
    `movieName must be a non-empty name for the analog section (e.g. "iprgc_test"); got ${JSON.stringify(value)}.`,
  badRepeat: (value: unknown) => `repeat must be null (keep every onset) or a whole number ≥ 0; got ${JSON.stringify(value)}.`,
  missingLightReference: () =>
    "The session has no stimulus.light_reference: run loadRecording with the .cmcr file first (it reads the photodiode).",
  missingRawCh1: () => "The session's light reference has no raw_ch1 (the photodiode channel): reload the recording with its .cmcr file.",
  missingRate: () => "The session has no metadata.acquisition_rate: run loadRecording first.",
  analogExists: (movie: string) =>
    `section_time for '${movie}' already exists; nothing was recomputed. Pass force: true to detect it again.`,
  noOnsets: (threshold: number) =>
    `No light onsets found in raw_ch1 with threshold_value ${threshold}: lower thresholdValue (plot the light reference to choose one).`,
  analogTruncated: (movie: string, count: number) =>
    `${count} section(s) of '${movie}' end past the recording and were cut at its last sample.`,

  // section_spike_times (reference §1.13)
  needsSectionTime: () => "Session does not contain section_time data. Run add_section_time first.",
  noSectionTimeData: () => "No section_time data found in session",
  noMovies: () => "No movies to process",
  configValidationFailed: (detail: string) => `Stimulus config validation failed: ${detail}`,
  unitWithoutSpikes: (unitId: string) => `Unit ${unitId} has no spike_times`,
  missingConfig: (movie: string, dir: string) =>
    `Missing stimulus config files: ['${movie}']. Expected at ${dir} — '${movie}' was not sectioned; the other movies were.`,
  invalidConfig: (movie: string, detail: string) =>
    `Invalid config for '${movie}': ${detail} — '${movie}' was not sectioned; the other movies were.`,
  // section_spike_times (ours)
  configDirRequired: () =>
    "configDir is required: the folder holding one {movie}.json stimulus config per movie (with section_kwargs).",
  badPadMargin: (value: unknown) =>
    `padMargin must be two finite numbers of seconds ≥ 0, [before, after]; got ${JSON.stringify(value)}.`,
  badMovieNames: (value: unknown) => `movieNames must be null (all sectioned movies) or a list of names; got ${JSON.stringify(value)}.`,
  trialRepeatsDeprecated: (value: number) =>
    `trialRepeats (${value}) is deprecated and ignored: the number of trials comes from each movie's stimulus config.`,
  defaultRate: () => "Using default acquisition_rate: 20000 Hz",
  unknownMovies: (names: readonly string[], available: readonly string[]) =>
    `movieNames ${names.map((n) => `'${n}'`).join(", ")} are not in section_time and were ignored. ` +
    `Available: ${available.map((n) => `'${n}'`).join(", ")}.`,
};
