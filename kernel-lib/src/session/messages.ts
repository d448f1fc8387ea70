/** Messages of the session folder, in one place (STYLE §2.5 habit 3). */
export const messages = {
  emptyDatasetId: () =>
    "dataset_id cannot be empty: pass datasetId, e.g. createSession({ datasetId: '2025.04.10-11.12.57-Rec' }), " +
    "or pass cmcrPath/cmtrPath so it is derived from the file name.",
  cannotDeriveDatasetId: () =>
    "Cannot derive dataset_id: no file path provided. Pass datasetId, or cmcrPath / cmtrPath to derive it from.",
  unitNotFound: (unitId: string, known: readonly string[]) =>
    `Unit ${unitId} not found in session (${known.length} units${known.length > 0 ? `: ${known.slice(0, 5).join(", ")}${known.length > 5 ? ", …" : ""}` : ""}). ` +
    `Add it with session.addUnits() first, or check the unit id.`,
  unstorable: (what: string, problem: string) => `Cannot add ${what}: ${problem}.`,
  fileExists: (file: string) => `File already exists: ${file}. Use overwrite: true to replace it, or choose another path.`,
  checkpointExists: (file: string) =>
    `Checkpoint file already exists: ${file}. Use overwrite: true to replace it, or choose another path.`,
  overwriting: (file: string) => `Overwriting existing file: ${file}`,
  overwritingCheckpoint: (file: string) => `Overwriting existing checkpoint: ${file}`,
  autoSaving: () =>
    "Auto-saving deferred session to satisfy HDF5-path requirement. Consider calling session.save() explicitly.",
  sessionFileNotFound: (file: string) =>
    `Checkpoint file not found: ${file}. Check the path (relative paths start at the notebook's folder), or list ` +
    `the folder with fs.readdirSync().`,
  writeFailed: (file: string, detail: string) =>
    `Could not write the session to ${file}: ${detail}. Nothing was replaced; the previous file (if any) is intact.`,
  hookFailed: (hook: string, step: string, detail: string) => `${hook} hook failed for step '${step}': ${detail}`,
  listenerFailed: (detail: string) => `A session change listener failed: ${detail}`,
  parentIsFile: (file: string, blocking: string) =>
    `Cannot write ${file}: ${blocking} is a file, not a folder. Choose an output path inside a folder, or move ` +
    `that file away.`,
  sessionNotInKernel: (sessionId: string, known: readonly string[]) =>
    `No session "${sessionId}" in this kernel (${known.length > 0 ? `it has ${known.join(", ")}` : "it has none"}): the kernel ` +
    `was restarted, or the cell that creates that session has not run yet. Run the cells above first (Run All does), ` +
    `or use your session's variable instead of sessionById().`,
  skippedOnLoad: (detail: string) => `Skipped while loading: ${detail}`,
  fileChangedUnderSession: (file: string) =>
    `The session file ${file} was changed by another writer after this session saved or loaded it, so it no ` +
    `longer holds what this session holds. Load it with PipelineSession.load() to continue from the file, or ` +
    `save() to replace it with this session.`,
  fileMissingUnderSession: (file: string) =>
    `The session file ${file} was removed or moved after this session saved or loaded it. save() writes it again.`,
  stepWarning: (step: string, message: string) => `${step}: ${message}`,
  stepSkipped: (step: string, reason: string) => `${step} skipped: ${reason}`,
  stateKeyInvalid: (key: unknown) => `State keys must be non-empty strings; got ${JSON.stringify(String(key))}.`,
  stateNotJson: (key: string, problem: string) =>
    `Cannot store state '${key}': ${problem}. Store plain JSON (objects, arrays, strings, finite numbers, booleans, null).`,
};
