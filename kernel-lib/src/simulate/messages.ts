/** Messages of the simulate folder, in one place (STYLE §2.5 habit 3). They quote the offending value. */
export const messages = {
  notAnObject: (value: unknown) =>
    `simulateRecording needs an options object like { outputDir: "demo" }, got ${describe(value)}.`,
  missingOutputDir: () => `simulateRecording needs outputDir: the folder the recording is written to, e.g. { outputDir: "demo" }.`,
  unknownOption: (name: string, known: readonly string[]) =>
    `Unknown simulateRecording option '${name}'. Known options: ${known.join(", ")}.`,
  notInteger: (name: string, value: unknown, min: number, max: number) =>
    `${name} must be a whole number in ${min}…${max}, got ${describe(value)}.`,
  notNumber: (name: string, value: unknown, min: number, max: number) =>
    `${name} must be a number in ${min}…${max}, got ${describe(value)}.`,
  badName: (value: unknown) =>
    `datasetName must be a non-empty file stem without / \\ : * ? " < > | or dots, got ${describe(value)}.`,
  badGrid: (value: unknown) =>
    `grid must be "full" or { rows: [first, last], columns: [first, last] } with 1 ≤ first ≤ last ≤ 65, got ${describe(value)}.`,
  badStimuli: (value: unknown) =>
    `stimuli must be a non-empty list of distinct entries from "baseline", "step", "noise", got ${describe(value)}.`,
  rateNotTick: (rate: number) =>
    `samplingRateHz ${rate} does not give a whole-microsecond sampling period (1e6 / rate must be a whole number, ` +
    `e.g. 20000 or 25000).`,
  tooShort: (durationS: number, neededS: number) =>
    `durationS ${durationS} is too short for the stimulus plan: the playlist with at least 15 noise patterns needs ` +
    `${neededS.toFixed(2)} s. Pass durationS ≥ ${Math.ceil(neededS)}, or shrink the plan (padFrames, baselineFrames, ` +
    `stepFrames, stepRepeats, or stimuli: ["noise"]).`,
  outputExists: (file: string) =>
    `'${file}' already exists. Pass overwrite: true to replace the simulated recording, or choose another outputDir.`,
  groundTruthMissing: (file: string) =>
    `Ground truth not found: ${file}. Simulate the recording first with simulateRecording({ outputDir }) or \`hdmea simulate --out DIR\`.`,
  badBreaches: (value: unknown, unitCount: number) =>
    `refractoryBreaches must be a list of { unitNumber, fraction } with distinct unit numbers 1…${unitCount} and 0 < fraction ≤ 0.5; ` +
    `got ${describe(value)}. Example: [{ unitNumber: 2, fraction: 0.05 }].`,
  groundTruthUnreadable: (file: string) =>
    `${file} is not a ground-truth file written by simulateRecording (no recipe or file names in it). Simulate the recording again.`,
  recordingFileMissing: (file: string, groundTruth: string) =>
    `${file} is missing although its ground truth ${groundTruth} exists. Simulate again with overwrite: true.`,
};

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "undefined";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
