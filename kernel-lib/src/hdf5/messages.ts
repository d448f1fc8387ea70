/** Messages of the hdf5 folder, in one place (STYLE §2.5 habit 3). */
export const messages = {
  notHdf5: (file: string) =>
    `'${file}' is not an HDF5 file (no HDF5 signature found). Give the path of a session .h5 file written by ` +
    `session.save() or session.checkpoint().`,
  cannotOpen: (file: string, detail: string) =>
    `'${file}' looks like HDF5 but cannot be opened; it may be truncated or damaged (${detail}). ` +
    `Use an intact copy, or the last checkpoint.`,
  cannotRead: (file: string, detail: string) =>
    `'${file}' opened but reading it failed; it may be truncated or damaged (${detail}). ` +
    `Use an intact copy, or the last checkpoint.`,
  notSession: (file: string, hasDatasetId: boolean) =>
    `'${file}' is an HDF5 file but not an hdmea session file: ` +
    (hasDatasetId ? "it has no /pipeline group" : "it has no root attribute 'dataset_id'") +
    `. Open recordings with loadRecording(), and sessions with PipelineSession.load().`,
  integrityMismatch: (file: string, objectPath: string, detail: string) =>
    `'${file}' is damaged: ${objectPath} does not match the integrity record written with the file (${detail}). ` +
    `Nothing was loaded. Use an intact copy, or the last checkpoint. (If you changed the file on purpose with ` +
    `another program, delete its root attribute 'hdmea_integrity' to load it unchecked.)`,
  integrityRecordDamaged: (file: string, detail: string) =>
    `'${file}' is damaged: its integrity record cannot be used (${detail}). Nothing was loaded. ` +
    `Use an intact copy, or the last checkpoint.`,
  notWholeNumber: (path: string, index: number, value: number, dtype: string) =>
    `Cannot save '${path}': element ${index} is ${value}, but this path holds sample indices or counts stored as ` +
    `${dtype}. Round the values to whole numbers${dtype === "uint64" ? " ≥ 0" : ""} (at most 2^53) before adding them.`,
  formatTruncated: (file: string, address: number, length: number) =>
    `'${file}' ends before the ${length} bytes at address ${address} that its HDF5 structures point to; it may be ` +
    `truncated. Use an intact copy.`,
  formatAddressTooLarge: (file: string) =>
    `'${file}' holds an HDF5 address beyond 2^53 bytes, which JavaScript numbers cannot address exactly. ` +
    `Read this dataset through h5wasm instead.`,
};
