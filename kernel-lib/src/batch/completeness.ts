/**
 * Is a recording's stage 1 really finished? Only when its session file loads, every configured step's last record
 * is completed with exactly the configured parameters (compared in canonical JSON), and the datasets each step
 * writes are there. Anything else is "stale" with the reason, and gets recomputed.
 */
import * as fs from "fs";
import { isSessionMap, type SessionMap } from "../hdf5/values";
import { recordingLogger } from "../session/logger";
import { PipelineSession } from "../session/session";
import { canonicalParams, differingKeys as differingCanonicalKeys } from "../ledger/canonical-params";
import type { RecordedParam } from "../session/step-records";
import type { BatchConfig } from "./config";
import type { FoundRecording } from "./discover";
import { batchMessages as messages } from "./messages";
import { planRecording, recordingInputs, sessionPathOf, type PlannedStep } from "./recording-pipeline";

/** The verdict on one recording's session file. */
export type Completeness =
  | { readonly state: "complete"; readonly unitCount: number }
  | { readonly state: "absent" }
  | { readonly state: "stale"; readonly reason: string };

/** Checks the session file of `recording` against what `config` asks for. */
export async function checkCompleteness(config: BatchConfig, recording: FoundRecording): Promise<Completeness> {
  const file = sessionPathOf(config, recording.recordingId);
  if (!fs.existsSync(file)) return { state: "absent" };
  let session: PipelineSession;
  try {
    session = await PipelineSession.load(file, { logger: recordingLogger() });
  } catch (error) {
    return { state: "stale", reason: messages.sessionUnloadable(error instanceof Error ? error.message.split("\n")[0] : String(error)) };
  }
  for (const planned of planRecording(config, recordingInputs(config, recording))) {
    const record = [...session.stepRecords].reverse().find((r) => r.name === planned.name);
    if (record === undefined || record.status !== "completed") return { state: "stale", reason: messages.stepNotCompleted(planned.name) };
    const differing = differingKeys(planned.expectedParams, record.params);
    if (differing.length > 0) return { state: "stale", reason: messages.paramsDiffer(planned.name, differing) };
    const missing = missingDataset(session, planned);
    if (missing !== null) return { state: "stale", reason: messages.datasetMissing(planned.name, missing) };
  }
  return { state: "complete", unitCount: session.unitCount };
}

/** Keys whose values differ between two parameter records, compared in the ledger's canonical form (key order and 1 vs 1.0 do not matter). */
export function differingKeys(expected: { readonly [key: string]: RecordedParam }, actual: { readonly [key: string]: RecordedParam }): string[] {
  return differingCanonicalKeys(canonicalParams(expected), canonicalParams(actual));
}

/** The first dataset the step should have written that the session lacks, or null. */
function missingDataset(session: PipelineSession, planned: PlannedStep): string | null {
  const units = Object.entries(session.unitMaps);
  const featuresOf = (unit: Readonly<SessionMap>): string[] => (isSessionMap(unit.features) ? Object.keys(unit.features) : []);
  switch (planned.name) {
    case "load_recording":
      return session.metadata.acquisition_rate === undefined ? "metadata/acquisition_rate" : null;
    case "add_section_time":
      return session.stimulus.section_time === undefined ? "stimulus/section_time" : null;
    case "section_spike_times": {
      const unit = units.find(([, data]) => data.spike_times_sectioned === undefined);
      return unit === undefined ? null : `units/${unit[0]}/spike_times_sectioned`;
    }
    case "compute_sta": {
      const unit = units.find(([, data]) => !featuresOf(data).some((name) => name.startsWith("sta_")));
      return unit === undefined ? null : `units/${unit[0]}/features/sta_*`;
    }
    case "compute_eimage_sta": {
      const unit = units.find(([, data]) => !featuresOf(data).some((name) => name.includes("eimage")));
      return unit === undefined ? null : `units/${unit[0]}/features/eimage_sta`;
    }
    case "extract_features": {
      const wanted = Array.isArray(planned.options.features) ? (planned.options.features as string[]) : [];
      for (const [unitId, data] of units) {
        const have = featuresOf(data);
        const absent = wanted.find((feature) => !have.some((name) => name === feature || name.startsWith(feature)));
        if (absent !== undefined) return `units/${unitId}/features/${absent}`;
      }
      return null;
    }
    default:
      return null;
  }
}
