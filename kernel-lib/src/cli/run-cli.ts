/**
 * The `hdmea` command line: `simulate`, `inspect` and `batch`. `runCli` takes the arguments and two output sinks and
 * returns the exit code, so it runs the same in tests and in the real process.
 */
import { parseArgs } from "util";
import { HdmeaError } from "../errors";
import { simulateRecording } from "../simulate/simulate-recording";
import type { GridSubset, SimulatedStimulus, SimulateRecordingOptions } from "../simulate/options";
import { runBatchCommand, type BatchFlags } from "./batch-command";
import { inspectFile } from "./inspect";
import { messages, USAGE } from "./messages";

/** Where the command line writes. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes: 0 success, 1 the command failed (typed error), 2 usage error. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2 } as const;

class UsageError extends Error {}

/** Runs the command line with `args` (without `node` and the script path). */
export async function runCli(args: readonly string[], output: CliOutput): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case undefined:
        throw new UsageError(messages.noCommand());
      case "help":
      case "--help":
      case "-h":
        output.out(USAGE);
        return EXIT.OK;
      case "simulate":
        await simulate(rest, output);
        return EXIT.OK;
      case "inspect":
        await inspect(rest, output);
        return EXIT.OK;
      case "batch":
        return await batch(rest, output);
      default:
        throw new UsageError(messages.unknownCommand(command));
    }
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(error.message);
      return EXIT.USAGE;
    }
    if (error instanceof HdmeaError) {
      output.err(messages.failed(error.code, error.message));
      return EXIT.FAILED;
    }
    output.err(messages.internal(oneLine(error)));
    return EXIT.FAILED;
  }
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split("\n").find((line) => line.trim() !== "") ?? "unknown error").trim().slice(0, 300);
}

type ParseOptions = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>["options"]>;

function parse<T extends ParseOptions>(command: string, args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(messages.badArguments(command, error instanceof Error ? error.message : String(error)));
  }
}

async function simulate(args: readonly string[], output: CliOutput): Promise<void> {
  const { values, positionals } = parse("simulate", args, {
    out: { type: "string" },
    "duration-s": { type: "string" },
    units: { type: "string" },
    seed: { type: "string" },
    grid: { type: "string" },
    "pad-frames": { type: "string" },
    stimuli: { type: "string" },
    overwrite: { type: "boolean" },
  });
  if (positionals.length > 0) throw new UsageError(messages.badArguments("simulate", `unexpected argument '${positionals[0]}'`));
  if (typeof values.out !== "string") throw new UsageError(messages.badArguments("simulate", messages.needsOut()));
  const options: SimulateRecordingOptions = {
    outputDir: values.out,
    ...(values["duration-s"] !== undefined && { durationS: numberFlag("--duration-s", values["duration-s"]) }),
    ...(values.units !== undefined && { unitCount: numberFlag("--units", values.units) }),
    ...(values.seed !== undefined && { seed: numberFlag("--seed", values.seed) }),
    ...(values.grid !== undefined && { grid: gridFlag(String(values.grid)) }),
    ...(values["pad-frames"] !== undefined && { padFrames: numberFlag("--pad-frames", values["pad-frames"]) }),
    ...(values.stimuli !== undefined && { stimuli: String(values.stimuli).split(",") as SimulatedStimulus[] }),
    ...(values.overwrite === true && { overwrite: true }),
  };
  const started = Date.now();
  const rec = await simulateRecording(options);
  const truth = rec.groundTruth;
  const spikes = truth.units.reduce((sum, u) => sum + u.spikeTimesSamples.length, 0);
  output.out(`Simulated ${truth.recipe.durationS} s, ${truth.units.length} units (${spikes} spikes), seed ${truth.recipe.seed} in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
  for (const file of [rec.cmcrPath, rec.cmtrPath, rec.groundTruthPath, rec.playlistCsvPath, rec.movieLengthCsvPath, rec.configDir, rec.moviesDir]) {
    output.out(`  ${file}`);
  }
}

function numberFlag(flag: string, value: unknown): number {
  const number = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isFinite(number)) {
    throw new UsageError(messages.badArguments("simulate", messages.notANumber(flag, String(value))));
  }
  return number;
}

function gridFlag(value: string): "full" | GridSubset {
  if (value === "full") return "full";
  const match = /^(\d+)-(\d+),(\d+)-(\d+)$/.exec(value);
  if (match === null) throw new UsageError(messages.badArguments("simulate", messages.badGrid(value)));
  const [r0, r1, c0, c1] = match.slice(1).map(Number);
  return { rows: [r0, r1], columns: [c0, c1] };
}

async function inspect(args: readonly string[], output: CliOutput): Promise<void> {
  const { positionals } = parse("inspect", args, {});
  if (positionals.length !== 1) throw new UsageError(messages.badArguments("inspect", messages.inspectNeedsFile()));
  for (const line of await inspectFile(positionals[0])) output.out(line);
}

const BATCH_SUBCOMMANDS = ["run", "submit", "status"];

async function batch(args: readonly string[], output: CliOutput): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || !BATCH_SUBCOMMANDS.includes(sub)) throw new UsageError(messages.badArguments("batch", messages.batchSubcommand(sub)));
  const { values, positionals } = parse(`batch ${sub}`, rest, {
    config: { type: "string", short: "c" },
    stage: { type: "string", short: "s" },
    workers: { type: "string" },
    array: { type: "boolean" },
    index: { type: "string", short: "i" },
    "index-offset": { type: "string" },
    "max-parallel": { type: "string" },
    sbatch: { type: "string" },
  });
  const command = `batch ${sub}`;
  if (positionals.length > 0) throw new UsageError(messages.badArguments(command, `unexpected argument '${positionals[0]}'`));
  if (typeof values.config !== "string") throw new UsageError(messages.badArguments(command, messages.needsConfig()));
  const whole = (flag: string, value: unknown, min: number): number => {
    const number = Number(value);
    if (typeof value !== "string" || !/^-?\d+$/.test(value.trim()) || number < min) throw new UsageError(messages.badArguments(command, messages.notAWholeNumber(flag, String(value), min)));
    return number;
  };
  const flags: BatchFlags = { config: values.config };
  if (values.stage !== undefined) {
    if (values.stage !== "1" && values.stage !== "2") throw new UsageError(messages.badArguments(command, messages.badStage(String(values.stage))));
    flags.stage = values.stage === "1" ? 1 : 2;
  }
  if (values.workers !== undefined) flags.workers = whole("--workers", values.workers, 1);
  if (values.array === true) flags.array = true;
  if (values.index !== undefined) flags.index = whole("--index", values.index, 0);
  if (values["index-offset"] !== undefined) flags.indexOffset = whole("--index-offset", values["index-offset"], 0);
  if (values["max-parallel"] !== undefined) flags.maxParallel = whole("--max-parallel", values["max-parallel"], 1);
  if (typeof values.sbatch === "string") flags.sbatch = values.sbatch;
  if ((flags.array || flags.index !== undefined) && (sub !== "run" || flags.stage === 2)) {
    throw new UsageError(messages.badArguments(command, messages.arrayNeedsStage1()));
  }
  return runBatchCommand(sub, flags, output);
}
