/** Messages of the batch: config files, discovery, manifest, runs, schedulers (one catalogue, STYLE §2.5). */
const at = (file: string): string => `in ${file}`;
const list = (items: readonly string[]): string => items.map((item) => `'${item}'`).join(", ");
const lineText = (line: number | null): string => (line === null ? "" : ` at line ${line}`);

export const batchMessages = {
  // ── config files ──
  configUnreadable: (file: string, detail: string) => `Cannot read the batch file ${file}: ${detail}. Check the path.`,
  configSuffix: (file: string) => `The batch file ${file} must end in .toml, .yaml or .yml; rename it or convert it.`,
  syntax: (file: string, kind: string, line: number | null, detail: string) =>
    `${file} is not valid ${kind}${lineText(line)}: ${detail}. Fix the syntax and try again.`,
  emptyFile: (file: string) => `${file} is empty: it needs at least [recordings] and [[pipeline]].`,
  missingKey: (file: string, key: string) => `'${key}' is missing ${at(file)}; add it.`,
  notATable: (file: string, key: string) => `'${key}' ${at(file)} must be a table (a section of keys).`,
  notAString: (file: string, key: string, value: unknown) => `'${key}' ${at(file)} must be a string, got ${JSON.stringify(value)}.`,
  notAWholeNumber: (file: string, key: string, value: unknown, min: number) =>
    `'${key}' ${at(file)} must be a whole number ≥ ${min}, got ${JSON.stringify(value)}.`,
  notAStringList: (file: string, key: string) => `'${key}' ${at(file)} must be a list of strings.`,
  unknownKey: (file: string, key: string, allowed: readonly string[]) =>
    `Unknown key '${key}' ${at(file)}. Allowed here: ${list(allowed)}. Check the spelling.`,
  rootOrList: (file: string) =>
    `[recordings] ${at(file)} needs exactly one of 'root' (a folder of .cmcr/.cmtr pairs, with 'pattern') or 'list' (a CSV with cmcr_path, cmtr_path).`,
  patternWithList: (file: string) => `'recordings.pattern' ${at(file)} only applies with 'root'; remove it when using 'list'.`,
  emptyPattern: (file: string) => `'recordings.pattern' ${at(file)} is empty; use e.g. "*" or "**/*.cm?r", or leave it out.`,
  pipelineMissing: (file: string) => `${file} has no pipeline: add [[pipeline]] entries, each with step = "<step name>".`,
  pipelineEntryNotTable: (file: string, index: number) => `pipeline[${index}] ${at(file)} must be a table with 'step' and the step's options.`,
  stepNameMissing: (file: string, index: number) => `pipeline[${index}] ${at(file)} has no 'step' name.`,
  unknownStep: (file: string, index: number, name: string, known: readonly string[]) =>
    `pipeline[${index}].step '${name}' ${at(file)} is not a batch step. Known steps: ${list(known)}.`,
  duplicateStep: (file: string, index: number, name: string) => `pipeline[${index}] ${at(file)} runs '${name}' a second time; each step may appear once.`,
  filledOption: (file: string, index: number, step: string, key: string) =>
    `pipeline[${index}].${key} ${at(file)}: '${step}' gets '${key}' from [recordings]/[stimulus] for each recording; remove it here.`,
  unknownStepOption: (file: string, index: number, step: string, key: string, allowed: readonly string[]) =>
    `pipeline[${index}].${key} ${at(file)} is not an option of '${step}'. Options you can set: ${list(allowed)}.`,
  stimulusNeeded: (file: string, index: number, step: string, key: string) =>
    `pipeline[${index}] ${at(file)} runs '${step}', which needs stimulus.${key}; add it under [stimulus].`,

  overrideNotList: (file: string) => `'override' ${at(file)} must be a list of tables ([[override]] with recording, step and options).`,
  overrideNeedsRecording: (file: string, index: number) => `override[${index}] ${at(file)} needs 'recording', the id of the recording it applies to.`,
  overrideStep: (file: string, index: number, step: string, pipeline: readonly string[]) =>
    `override[${index}].step '${step}' ${at(file)} is not a step of the pipeline (${list(pipeline)}).`,
  overrideOption: (file: string, index: number, step: string, key: string) =>
    `override[${index}].${key} ${at(file)} is not an option of '${step}' that a batch file may set.`,
  overrideUnknownRecording: (file: string, index: number, id: string) =>
    `override[${index}].recording '${id}' ${at(file)} is not a recording of this batch; check the id (see 'hdmea batch status').`,

  // ── discovery ──
  rootMissing: (file: string, root: string) => `recordings.root ${at(file)} is ${root}, which is not an existing folder. Fix the path (relative to the batch file).`,
  noRecordings: (file: string, root: string, pattern: string) =>
    `recordings.pattern '${pattern}' ${at(file)} matched no .cmcr or .cmtr file under ${root}.`,
  unmatchedPairs: (file: string, root: string, names: readonly string[]) =>
    `recordings.pattern ${at(file)}: these files under ${root} have no partner (.cmcr needs a .cmtr of the same name, or the name with a trailing '-'): ${list(names.slice(0, 20))}${names.length > 20 ? ` and ${names.length - 20} more` : ""}.`,
  duplicateRecordingId: (file: string, id: string, first: string, second: string) =>
    `Two recordings ${at(file)} have the id '${id}' (${first} and ${second}); rename one or give a recording_id column.`,
  listMissing: (file: string, listPath: string) => `recordings.list ${at(file)} is ${listPath}, which does not exist.`,
  listColumns: (file: string, listPath: string, header: readonly string[]) =>
    `recordings.list ${at(file)}: ${listPath} needs the columns 'cmcr_path' and 'cmtr_path' (found ${list(header)}).`,
  listEmpty: (file: string, listPath: string) => `recordings.list ${at(file)}: ${listPath} lists no recordings.`,
  listRowIncomplete: (file: string, listPath: string, line: number) => `recordings.list ${at(file)}: line ${line} of ${listPath} lacks a cmcr_path or cmtr_path.`,
  listFileMissing: (file: string, listPath: string, line: number, missing: string) =>
    `recordings.list ${at(file)}: line ${line} of ${listPath} names ${missing}, which does not exist.`,

  // ── manifest and runs ──
  manifestUnreadable: (file: string, detail: string) => `The batch manifest ${file} cannot be read (${detail}). Delete it to freeze the recording list again.`,
  noManifest: (file: string, config: string) =>
    `No manifest at ${file}: run 'hdmea batch run --config ${config}' or 'hdmea batch submit' first, which freeze the recording list.`,
  indexOutOfRange: (index: number, source: string, count: number) =>
    `Array index ${index} (from ${source}) is outside the manifest, which has ${count} recordings (indices 0…${count - 1}).`,
  noArrayIndex: () =>
    `--array needs the task index in SLURM_ARRAY_TASK_ID, SGE_TASK_ID or PBS_ARRAY_INDEX; none is set (SGE's "undefined" counts as unset). Use --index I to run one recording by hand.`,
  badArrayIndex: (variable: string, value: string) => `${variable} is '${value}', not a whole number.`,
  unknownStepAtRun: (step: string) => `The pipeline step '${step}' is unknown.`,
  stepDidNotComplete: (id: string, step: string, detail: string) => `Recording ${id}: step '${step}' did not complete${detail ? `: ${detail}` : ""}.`,
  sessionUnloadable: (detail: string) => `the session file does not load (${detail})`,
  stepNotCompleted: (step: string) => `step '${step}' has not completed`,
  paramsDiffer: (step: string, keys: readonly string[]) => `step '${step}' ran with other parameters (${list(keys)} differ)`,
  datasetMissing: (step: string, dataset: string) => `'${step}' output ${dataset} is missing`,
  workerDied: (id: string, signal: string | null, code: number | null) =>
    `Recording ${id}: the worker process ended (${signal !== null ? `signal ${signal}` : `exit code ${code}`}) before finishing.`,
  interrupted: (id: string) => `Recording ${id}: interrupted (Ctrl+C) before it finished; run again to compute it.`,
  stage2NothingDone: (count: number) => `Stage 2: none of the ${count} recordings has a complete session file; run stage 1 first.`,
  noStage2Table: (file: string) => `No stage-2 table at ${file}: run stage 2 first (batch.run() or 'hdmea batch run --stage 2').`,
  stage2Busy: () => `Stage 2 of this batch is running in another process; wait for it, then look at the status.`,
  badWorkers: (value: number) => `workers must be a whole number ≥ 1, got ${value}.`,

  // ── SLURM ──
  sbatchMissing: (command: string) =>
    `'${command}' was not found: submitting needs SLURM's sbatch on the PATH (or run locally with 'hdmea batch run').`,
  sbatchFailed: (command: string, code: number | null, stderr: string) => `'${command}' failed (exit code ${code}): ${stderr.trim() || "no message"}.`,
  sbatchNoJobId: (output: string) => `sbatch printed no job id ('${output.trim()}'); check the SLURM configuration.`,
};
