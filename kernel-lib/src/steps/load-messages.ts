/** Messages of loadRecording: the reference's warning texts (§1.13) and our errors. */
export const loadMessages = {
  noInput: () =>
    "At least one of cmcrPath or cmtrPath must be provided: loadRecording({ cmcrPath: 'x.cmcr', cmtrPath: 'x-.cmtr', session }).",
  wrongExtension: (extension: string, file: string) =>
    `Expected ${extension} file, got: ${file}. Pass the ${extension === ".cmcr" ? "raw recording" : "spike-sorter file"} as ${extension === ".cmcr" ? "cmcrPath" : "cmtrPath"}.`,
  fileNotFound: (kind: string, file: string) => `${kind} file not found: ${file}. Check the path (relative paths start at the notebook's folder).`,
  invalidDatasetId: (id: string) =>
    `Invalid dataset_id: ${JSON.stringify(id)}. Use a non-empty name without / \\ : * ? " < > |, or leave datasetId out to derive it from the file name.`,
  stemMismatch: (cmcr: string, cmtr: string) =>
    `CMCR and CMTR file names do not match (${path(cmcr)} vs ${path(cmtr)}); check that they belong to the same recording.`,
  noCmtr: () => "No CMTR file provided - spike data unavailable",
  noCmcr: () => "No CMCR file provided - light reference unavailable",
  cmtrFailed: (detail: string) => `CMTR load failed: ${detail}`,
  cmcrFailed: (detail: string) => `CMCR load failed: ${detail}`,
  noAnalog: (file: string) => `No analog data in CMCR ${file} - light reference and frame timestamps unavailable`,
  unitSkipped: (group: string, detail: string) => `Skipped ${group} of the CMTR: ${detail}`,
  noUnits: (file: string) => `No units found in CMTR ${file}`,
  defaultRate: () => "Using default acquisition_rate: 20000 Hz",
  frameDetectionFailed: (detail: string) => `Frame timestamp detection failed: ${detail}`,
  largeSession: (gb: number) => `Session holds ${gb.toFixed(1)} GB in memory; consider fewer units or a shorter recording.`,
};

function path(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
