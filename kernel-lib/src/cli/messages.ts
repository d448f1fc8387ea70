/** Messages of the command line, in one place (STYLE §2.5 habit 3). */
export const USAGE = `Usage:
  hdmea simulate --out DIR [--duration-s N] [--units N] [--seed N] [--grid full|ROWS,COLUMNS]
                 [--stimuli baseline,step,noise] [--pad-frames N] [--overwrite]
      Write a simulated recording (.cmcr, .cmtr, stimulus files, ground truth) into DIR.
      --grid 29-36,29-36 records rows 29…36 × columns 29…36 (the default); --grid full records all 65 × 65.
      Recordings shorter than ~36 s need a smaller playlist, e.g. --stimuli noise --pad-frames 30.
  hdmea inspect FILE
      Summarise a .cmcr, .cmtr or session .h5 file (units, durations, rates, groups, sizes).
  hdmea batch run --config F [--stage 1|2] [--workers N] [--array] [--index I] [--index-offset K]
      Run a batch file (TOML/YAML): stage 1 = one session .h5 per recording with local worker processes, stage 2 =
      the units table of all recordings (units.arrow) + summary.json. Without --stage: both. --array runs the one
      recording of a cluster array task (SLURM_ARRAY_TASK_ID / SGE_TASK_ID / PBS_ARRAY_INDEX, + K); --index I runs
      manifest index I here. Finished recordings are skipped; stale or failed ones are computed again.
  hdmea batch submit --config F [--max-parallel N] [--sbatch CMD]
      Submit stage 1 as SLURM array job(s) (%N throttle, split by MaxArraySize) and stage 2 with afterok.
  hdmea batch status --config F
      Per recording: done / failed / missing / stale / running, with the error or the reason.
  hdmea help
      Show this text.`;

export const messages = {
  noCommand: () => `No command given.\n\n${USAGE}`,
  unknownCommand: (command: string) => `Unknown command '${command}'.\n\n${USAGE}`,
  badArguments: (command: string, detail: string) => `hdmea ${command}: ${detail}\n\n${USAGE}`,
  notANumber: (flag: string, value: string) => `${flag} expects a number, got '${value}'.`,
  badGrid: (value: string) => `--grid expects 'full' or 'FIRST-LAST,FIRST-LAST' (rows, columns), got '${value}'.`,
  needsOut: () => `--out DIR is required: the folder to write the recording into.`,
  inspectNeedsFile: () => `give exactly one FILE to inspect.`,
  unknownFileKind: (file: string) => `cannot inspect '${file}': expected a .cmcr, .cmtr or .h5 file.`,
  batchSubcommand: (sub: string | undefined) => `expected 'run', 'submit' or 'status'${sub === undefined ? "" : `, got '${sub}'`}.`,
  needsConfig: () => `--config FILE is required: the batch file (.toml or .yaml).`,
  notAWholeNumber: (flag: string, value: string, min: number) => `${flag} expects a whole number ≥ ${min}, got '${value}'.`,
  badStage: (value: string) => `--stage expects 1 or 2, got '${value}'.`,
  arrayNeedsStage1: () => `--array and --index run one recording's stage 1: use them with 'batch run' and without --stage 2.`,
  failed: (code: string, message: string) => `Error [${code}]: ${message}`,
  fileNotFound: (file: string) => `cannot inspect '${file}': no such file. Check the path (relative paths start at the current folder).`,
  isDirectory: (file: string) => `cannot inspect '${file}': it is a folder, not a file. Give the path of a .cmcr, .cmtr or .h5 file inside it.`,
  symlinkLoop: (file: string) => `cannot inspect '${file}': its symbolic links form a loop. Point the link at the real file.`,
  notAFile: (file: string) => `cannot inspect '${file}': it is not a regular file. Give the path of a .cmcr, .cmtr or .h5 file.`,
  cannotAccess: (file: string, detail: string) => `cannot inspect '${file}': ${detail}. Check the path and its permissions.`,
  treeFailed: (file: string, detail: string) =>
    `'${file}' was summarised but its HDF5 tree cannot be listed; it may be damaged (${detail}). Use an intact copy.`,
  /** A failure hdmea did not foresee: one line, no stack (the stack is of no use to whoever runs the command). */
  internal: (detail: string) => `Error [internal]: ${detail}. This is a bug in hdmea; please report it with the command you ran.`,
};
