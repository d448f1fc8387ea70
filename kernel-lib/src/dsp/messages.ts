/** Messages of the dsp folder, in one place (STYLE §2.5 habit 3). */
export const messages = {
  eimageWorkerFailed: (detail: string) =>
    `An eimage worker thread failed (${detail}). Run again with threads: 1 to filter in this thread only.`,
  filterOrder: (order: unknown) =>
    `filterOrder must be a positive integer (1, 2, 3, …); got ${String(order)}. The reference uses order 2.`,
  samplingRate: (rateHz: unknown) =>
    `samplingRateHz must be a positive finite number of samples per second; got ${String(rateHz)}. ` +
    `HD-MEA recordings are sampled at 20000 Hz.`,
  cutoffRange: (cutoffHz: unknown, nyquistHz: number) =>
    `cutoffHz must lie strictly between 0 and the Nyquist frequency (${nyquistHz} Hz); got ${String(cutoffHz)}. ` +
    `Lower the cutoff (the reference uses 100 Hz) or check samplingRateHz.`,
  emptySos: () => "The filter has no second-order sections: design it with designButterworthHighpass() first.",
  badSection: (index: number) =>
    `Second-order section ${index} must hold six finite numbers [b0, b1, b2, a0, a1, a2] with a0 = 1 (normalise the section by a0).`,
  signalTooShort: (length: number, padlen: number) =>
    `The signal has ${length} samples but zero-phase filtering needs more than padlen = ${padlen} ` +
    `(at least ${padlen + 1} samples). Filter a longer trace, or skip the high-pass for such short data.`,
  outLength: (outLength: number, columnLength: number) =>
    `out has ${outLength} elements but the column has ${columnLength}: pass an output array of the same length.`,
  unstableFilter: (radius: number) =>
    `The filter has a pole of radius ${radius} (≥ 1), so it never settles: design it with designButterworthHighpass().`,
  percentRange: (percent: unknown) => `percent must be a number between 0 and 100; got ${String(percent)}.`,
  emptyValues: (what: string) => `Cannot compute the ${what} of an empty array: pass at least one value.`,
  nonNegativeFinite: (name: string, value: unknown) =>
    `${name} must be a finite number ≥ 0; got ${String(value)}.`,
  finiteNumber: (name: string, value: unknown) => `${name} must be a finite number; got ${String(value)}.`,
  positiveFinite: (name: string, value: unknown) => `${name} must be a finite number > 0; got ${String(value)}.`,
  positiveInteger: (name: string, value: unknown) => `${name} must be a positive integer; got ${String(value)}.`,
  windowNotBinMultiple: (windowMs: number, binMs: number) =>
    `windowMs (${windowMs}) must be a whole multiple of binMs (${binMs}), e.g. windowMs 100 with binMs 1 or 0.5.`,
  notAscending: (name: string, index: number) =>
    `${name} must be ascending sample indices (as spike_times are stored); element ${index} is smaller than the one before. Sort the train first.`,
  noFrameTimestamps: (what: string) =>
    `${what} needs at least one frame timestamp; none were given. Detect them with detectFrameTimestamps() first.`,
  invertedCoverRange: (start: number, end: number) =>
    `Invalid coverRange [${start}, ${end}]: the start must be smaller than the end, e.g. [-60, 0] for the 60 ` +
    `frames before each spike.`,
  coverRangeNotInteger: (start: unknown, end: unknown) =>
    `coverRange must hold two integers (display frames); got [${String(start)}, ${String(end)}].`,
  movieShape: (length: number, frames: number, height: number, width: number) =>
    `The movie has ${length} values, which is not frames × height × width = ${frames} × ${height} × ${width}. ` +
    `Pass the movie as a flat Uint8Array in frame-major (C) order with its shape.`,
  movieDimensions: (shape: readonly number[]) =>
    `movieShape must be [frames, height, width] with positive integers; got [${shape.join(", ")}].`,
  invalidWindow: (preSamples: number, postSamples: number) =>
    `Invalid window: preSamples (${preSamples}) and postSamples (${postSamples}) must be integers ≥ 0 with a ` +
    `positive sum. The reference window range (-10, 40) gives preSamples 10 and postSamples 40.`,
  electrodeScaleLength: (got: number, expected: number) =>
    `electrodeScale has ${got} factors but the grid has ${expected} electrodes: pass one factor per electrode, in ` +
    `the blocks' electrode order.`,
  providerShape: (start: number, end: number, got: number, expected: number) =>
    `The sensor-data provider returned ${got} values for samples [${start}, ${end}) but ${expected} were ` +
    `expected (samples × electrodes). Check the provider's reading of the sensor stream.`,
  negativeSectionLength: (movie: string) =>
    `Movie length for '${movie}' must be a non-negative integer number of display frames.`,
  invalidStimulusConfig: (movie: string, problem: string) => `Invalid config for '${movie}': ${problem}`,
  missingStimulusConfig: (movie: string) =>
    `No stimulus config for '${movie}' (expected ${movie}.json in the config folder): the movie is not sectioned. ` +
    `Add the config, or leave the movie out with movieNames.`,
  emptySectionTime: (movie: string) => `section_time for '${movie}' has no rows: the movie was not shown.`,
  mapShape: (length: number, height: number, width: number) =>
    `The map has ${length} values but height × width = ${height} × ${width}: pass a row-major map of height × width values.`,
  rfStaShape: (shape: readonly number[]) =>
    `A receptive-field fit needs an STA of frames × rows × cols with at least 2 frames; got shape [${shape.join(", ")}]. ` +
    `Compute it with computeSta() first.`,
  shuffleCount: (value: unknown) => `shuffles must be a whole number ≥ 0 (e.g. 20); got ${String(value)}.`,
} as const;
