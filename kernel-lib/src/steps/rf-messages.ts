/** Messages of fitReceptiveFields: what is missing and what to run or pass instead. */
export const rfMessages = {
  noSta: () => "Session has no STAs. Run computeSta first, then fitReceptiveFields.",
  noUnits: () => "No units found in session",
  noStaFeature: () => "No unit has an sta_* feature: run computeSta first, then fitReceptiveFields.",
  noUnitWithSta: (feature: string) =>
    `No unit has the STA feature '${feature}' as a frames × rows × cols array: run computeSta, or pass feature with an existing sta_* name.`,
  shuffles: (value: unknown) => `shuffles must be a whole number ≥ 0 (e.g. 20; 0 skips the significance test); got ${String(value)}.`,
  seed: (value: unknown) => `seed must be a whole number ≥ 0; got ${String(value)}.`,
  noMovieSource: () =>
    "The significance test re-computes STAs of shuffled spikes and needs the noise movie: pass stimuliDir (the folder holding <movie>.npy) or movie, or shuffles: 0 to skip the test.",
  noFramePeriod: () =>
    "No frame timestamps or acquisition_rate in the session: the temporal filter's time axis (ms) is NaN. Load the recording with its frame timestamps.",
  noSpikeFrames: (unitId: string, movie: string) =>
    `No section_time or frame timestamps for '${movie}': ${unitId} was fitted without a significance test.`,
  notTested: () => "fitReceptiveFields ran with shuffles: 0, so no unit is marked significant (pass shuffles: 20 or more to test).",
} as const;
