/** Messages of the quality folder (metrics and curation), in one place (STYLE §2.5 habit 3). */
export const messages = {
  positive: (name: string, value: unknown) => `${name} must be a finite number > 0; got ${String(value)}.`,
  censoredRange: (censoredMs: unknown, refractoryMs: number) =>
    `censoredMs must be ≥ 0 and smaller than refractoryMs (${refractoryMs} ms); got ${String(censoredMs)}. ` +
    `Use 0 when the sorter does not censor, or the sorter's dead time (often 0.1–0.5 ms).`,
  notAscending: (index: number) =>
    `spikeTimes must be ascending sample indices (as spike_times are stored); element ${index} is smaller than the one before.`,
  noAcquisitionRate: () => "The session has no metadata.acquisition_rate, so spike times cannot be turned into ms. Load the recording first (loadRecording).",
  noUnits: () => "No units in the session: nothing to compute quality metrics for. Load a recording with a .cmtr first.",
  noDuration: (durationS: number) =>
    `The session holds no recording duration (metadata.recording_duration_s or sys_meta/cmcr_meta); quality metrics use the ` +
    `last spike instead (${durationS.toFixed(3)} s), which underestimates the duration. Load the .cmcr with the .cmtr to fix it.`,
  fewPresenceBins: (durationS: number, binS: number) =>
    `The recording (${durationS.toFixed(1)} s) is shorter than two presence bins of ${binS} s, so presence_ratio is 0 or 1. ` +
    `Pass a smaller presenceBinS for a finer presence ratio.`,
  noSpikeTimes: (unitId: string) => `Unit ${unitId} has no spike_times; its quality metrics are left out.`,
  badLabel: (label: unknown) => `label must be "keep", "reject" or null (to clear a label); got ${JSON.stringify(label)}.`,
  unknownUnits: (unknown: readonly string[], known: readonly string[]) =>
    `No such unit${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")} (the session has ${known.length} units` +
    `${known.length > 0 ? `: ${known.slice(0, 5).join(", ")}${known.length > 5 ? ", …" : ""}` : ""}). Check the ids, e.g. with session.unitsTable().`,
  unitIdsNotList: (value: unknown) => `unitIds must be a list of unit ids such as ["unit_001"]; got ${JSON.stringify(value)}.`,
  unknownColumn: (column: string, known: readonly string[]) =>
    `selectUnits: the units table has no column '${column}'. Filter on one of: ${known.join(", ")}. ` +
    `Quality columns appear after computeQualityMetrics.`,
  badCondition: (column: string, condition: unknown) =>
    `selectUnits: the condition on '${column}' must be a value to match, or { min?, max? } for a range; got ${JSON.stringify(condition)}.`,
  rejectedSkipped: (step: string, unitIds: readonly string[]) =>
    `${step}: skipped ${unitIds.length} unit${unitIds.length > 1 ? "s" : ""} labelled "reject" (${unitIds.slice(0, 5).join(", ")}` +
    `${unitIds.length > 5 ? ", …" : ""}). Pass includeRejected: true to include them.`,
} as const;
