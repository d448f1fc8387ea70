/**
 * A session snapshot for tests that write session files directly (`writeSessionFile`): the given fields, the rest
 * empty.
 */
import type { SessionSnapshot } from "../hdf5/session-file";

export function sessionSnapshot(fields: Partial<SessionSnapshot> & Pick<SessionSnapshot, "datasetId">): SessionSnapshot {
  return {
    createdAt: null,
    hdmeaVersion: "test",
    units: {},
    metadata: {},
    stimulus: {},
    sourceFiles: {},
    completedSteps: [],
    warnings: [],
    savedAt: null,
    checkpointName: null,
    state: {},
    context: {},
    stepRecords: [],
    ...fields,
  };
}
