/** Messages of the arrow folder, in one place (STYLE §2.5 habit 3). */
export const messages = {
  unitNotFound: (unitId: string, known: readonly string[]) =>
    `Unit ${unitId} not found in session (${known.length} units${known.length > 0 ? `: ${known.slice(0, 5).join(", ")}${known.length > 5 ? ", …" : ""}` : ""}). ` +
    `Check the unit id, e.g. with unitsTable(session).getChild("unit_id").`,
  noSpikeTimes: (unitId: string) =>
    `Unit ${unitId} has no spike_times. Load the recording first (loadRecording), or pick a unit that has spikes.`,
  fileExists: (file: string) => `File already exists: ${file}. Use overwrite: true to replace it, or choose another path.`,
  writeFailed: (file: string, detail: string) =>
    `Could not write the Arrow file ${file}: ${detail}. Nothing was replaced; check that the folder is writable.`,
  badMaxBytes: (value: number) => `maxBytes must be a positive number of bytes; got ${value}.`,
};
