/**
 * Messages of computeSta, loadRecordingWithEimageSta and computeEimageSta: the reference's warning texts (§1.13)
 * verbatim where they exist, and our errors, which name the file or parameter and say what to do.
 */
export const staMessages = {
  // compute_sta warnings (reference §1.13, verbatim)
  notSectioned: () => "Session does not contain sectioned spike data. Run section_spike_times first.",
  noUnits: () => "No units found in session",
  noNoiseMovie: () => "No noise movie found in session section_time",
  noFrameTimestamps: () => "No frame_timestamps found in session",
  noSectionTime: (movie: string) => `No section_time for movie '${movie}'`,
  noSectioned: (unitId: string) => `No spike_times_sectioned for ${unitId}`,
  noSectionedMovie: (unitId: string, movie: string) => `No sectioned data for ${unitId}/${movie}`,
  noTrials: (unitId: string, movie: string) => `No trials_spike_times for ${unitId}/${movie}`,
  // ours
  severalNoiseMovies: (movies: readonly string[]) =>
    `Several noise movies in section_time (${movies.join(", ")}); using '${movies[0]}'.`,
  noMovieSource: () =>
    "computeSta needs the noise movie: pass stimuliDir (the folder holding <movie>.npy) or movie (an NdArray of uint8 frames × height × width).",
  movieNotUint8: (what: string, dtype: string) =>
    `The noise movie ${what} holds ${dtype} values; computeSta needs uint8 grey levels (0–255). Re-save it with numpy: np.save(path, movie.astype(np.uint8)).`,
  movieNotThreeD: (what: string, shape: readonly number[]) =>
    `The noise movie ${what} has shape [${shape.join(", ")}]; computeSta needs (frames, height, width).`,
  movieFrameCount: (what: string, frames: number, shown: number, atLeast: boolean) =>
    `The noise movie ${what} has ${frames} frames, but the recording showed ${shown} frames of it` +
    `${atLeast ? " (or more: the recording ends during the movie)" : ""}. Check that this is the movie that was played.`,
  movieLongerThanShown: (what: string, frames: number, shown: number) =>
    `The noise movie ${what} has ${frames} frames, but the recording showed ${shown} frames of it; the STA used the ` +
    `first ${shown} frames (the frames shown), as the reference does. Check that this is the movie that was played.`,
  movieFileNotFound: (file: string) =>
    `Noise movie file not found: ${file}. Pass stimuliDir pointing at the folder that holds <movie name>.npy, or pass the movie as an array.`,
  coverRange: (value: unknown) =>
    `Invalid cover_range: ${JSON.stringify(value)}. Give two whole numbers [start, end) in frames relative to the spike frame with start < end, e.g. [-60, 0].`,
  // eimage
  windowRange: (value: unknown) =>
    `Invalid window_range: ${JSON.stringify(value)}. Give [start, end] in samples with start ≤ 0 ≤ end and end − start ≥ 1, e.g. [-10, 40] (10 samples before the spike, 40 from it on).`,
  cutoffAboveNyquist: (cutoffHz: number, nyquistHz: number) =>
    `cutoffHz ${cutoffHz} Hz is not below the Nyquist frequency ${nyquistHz} Hz (half the sampling rate); choose a lower cutoffHz or skipHighpass: true.`,
  positiveNumber: (name: string, value: unknown) => `${name} must be a positive number, got ${JSON.stringify(value)}.`,
  positiveInteger: (name: string, value: unknown) => `${name} must be a whole number ≥ 1, got ${JSON.stringify(value)}.`,
  unitIdsInvalid: (value: unknown) =>
    `unitIds must be a list of unit numbers or ids like [1, "7", "unit_012"], got ${JSON.stringify(value)}.`,
  unitNotInCmtr: (n: number) => `Unit ${n} not found in CMTR`,
  noPeaks: (n: number) => `No Peaks data for Unit ${n}`,
  unitNotInSession: (unitId: string) => `${unitId} is not a unit of this session; it was skipped (run loadRecording with the same .cmtr first).`,
  bothPaths: () =>
    "loadRecordingWithEimageSta needs both files: loadRecordingWithEimageSta({ cmcrPath: 'x.cmcr', cmtrPath: 'x-.cmtr', session }).",
  noCmcr: () =>
    "computeEimageSta needs the raw recording: the session has no source_files.cmcr_path. Pass cmcrPath, or run loadRecording with the .cmcr first.",
  noCmtr: () =>
    "computeEimageSta needs the spike sorter file: the session has no source_files.cmtr_path. Pass cmtrPath, or run loadRecording with the .cmtr first.",
  fileNotFound: (kind: string, file: string) => `${kind} file not found: ${file}. Check the path (relative paths start at the notebook's folder).`,
  noSensorData: (file: string) => `The .cmcr ${file} holds no sensor data (/Acquisition/Sensor Data/SensorData 1 1); an eimage needs it.`,
  eimageUnitInvalid: (value: unknown) => `eimageUnit must be "counts" or "uV", got ${JSON.stringify(value)}.`,
  eimageCountsUnavailable: (file: string) =>
    `The sensor data of ${file} is not stored as int16 ADC counts, so the eimage was computed in µV (metadata unit "uV") instead of counts.`,
  noRate: () => "The session has no metadata.acquisition_rate; run loadRecording first.",
};
