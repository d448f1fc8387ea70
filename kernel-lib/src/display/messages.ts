/** Messages of the display folder, in one place (STYLE §2.5 habit 3). */
export const messages = {
  badShape: (what: string, expected: string, shape: readonly number[]) =>
    `${what} must be an NdArray of shape ${expected}; got [${shape.join(", ")}]. Pass the feature's data as stored by the step.`,
  notNdArray: (what: string) => `${what} must be an NdArray (e.g. a feature's data); got something else.`,
  badRate: (name: string, value: unknown) => `${name} must be a positive number in Hz; got ${String(value)}.`,
  unitNotFound: (unitId: string, known: readonly string[]) =>
    `Unit ${unitId} not found in session (${known.length} units${known.length > 0 ? `: ${known.slice(0, 5).join(", ")}${known.length > 5 ? ", …" : ""}` : ""}). ` +
    `Check the unit id, e.g. with unitsTable(session).`,
  noStaFeature: (unitId: string, known: readonly string[]) =>
    `Unit ${unitId} has no STA feature (features: ${known.join(", ") || "none"}). Run computeSta first, or pass feature: "sta_<movie>".`,
  featureMissing: (unitId: string, feature: string, known: readonly string[]) =>
    `Unit ${unitId} has no feature '${feature}' (features: ${known.join(", ") || "none"}). Run the step that computes it first.`,
  noSectionedMovie: (unitId: string, movie: string, known: readonly string[]) =>
    `Unit ${unitId} has no sectioned spikes for movie '${movie}' (movies: ${known.join(", ") || "none"}). ` +
    `Run sectionSpikeTimes first, or pick one of the listed movies.`,
  noTrialsStartEnd: (unitId: string, movie: string) =>
    `Unit ${unitId}, movie '${movie}' has no trials_start_end, so spikes cannot be aligned to the trial starts. Re-run sectionSpikeTimes.`,
  emptyWaveform: () => "The waveform has no samples: pass a unit's waveform (units.<id>.waveform) with at least one sample.",
  noWaveform: (unitId: string) =>
    `Unit ${unitId} has no waveform samples: its .cmtr Peaks table holds no cut-outs. Load a .cmtr with cut-outs (loadRecording) to see it.`,
  correlogramUnits: (count: number, max: number) =>
    `plotCorrelogram takes 1 to ${max} unit ids (a ${max} × ${max} matrix at most); got ${count}. Pass fewer units, or raise maxUnits.`,
  noSpikeTimes: (unitId: string) => `Unit ${unitId} has no spike_times. Load the recording first (loadRecording).`,
  noAcquisitionRate: () =>
    "The session has no metadata.acquisition_rate. Load the recording first, or pass samplingRateHz.",
  noLightReference: (channel: string, known: readonly string[]) =>
    `The session has no stimulus.light_reference.${channel} (channels: ${known.join(", ") || "none"}). ` +
    `Load the recording first, or pick one of the listed channels.`,
  unknownColumn: (column: string, known: readonly string[]) =>
    `The units table has no column '${column}'. Pick one of: ${known.join(", ")}.`,
  unitsMapNeedsInput: () => "plotUnitsMap needs a session or a table: pass { session } or { table: unitsTable(session) }.",
  unknownTaskState: (state: string) => `Unknown progress state '${state}'.`,
  noRfFits: () => "No unit has a receptive-field fit (rf_fit_* feature): run fitReceptiveFields after computeSta.",
  noRfFit: (unitId: string) => `Unit ${unitId} has no receptive-field fit (rf_fit_* feature): run fitReceptiveFields after computeSta.`,
  unknownFigureFormat: (format: string, target: string) =>
    `Cannot save a figure as '${format}' (${target}): use format "svg" or "png", or a file name ending in .svg or .png.`,
  figureWithoutSize: () => "The chart's SVG has no width and height: render it with renderChart() or a plot* function first.",
  figureSize: (name: string, value: unknown) => `${name} must be a number of pixels between 1 and 20000; got ${String(value)}.`,
  figureParentIsFile: (file: string, target: string) =>
    `Cannot save ${target}: ${file} is a file, not a folder. Pick another path or move that file away.`,
};
