/**
 * `hdmea batch run | submit | status --config F`: the batch from a shell (or an sbatch script). Progress is a bar on
 * a terminal and one plain line per recording otherwise. Exit codes: 0 when every recording is done (an array task
 * also exits 0 after recording its recording's failure in the ledger, so the `afterok` stage 2 still aggregates the
 * others), 1 when recordings failed or the command failed, 130 after Ctrl+C.
 */
import { openBatch, type Batch } from "../batch/open-batch";
import type { BatchEvent } from "../batch/local-scheduler";
import { startProgress } from "../display/progress";
import { batchCliMessages as messages } from "./batch-messages";
import type { CliOutput } from "./run-cli";

/** Parsed flags of a batch subcommand. */
export interface BatchFlags {
  config: string;
  stage?: 1 | 2;
  workers?: number;
  array?: boolean;
  index?: number;
  indexOffset?: number;
  maxParallel?: number;
  sbatch?: string;
}

/** Exit code after an interrupted run (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/** Runs `hdmea batch <sub>`; returns the exit code. */
export async function runBatchCommand(sub: string, flags: BatchFlags, output: CliOutput, stream: { isTTY?: boolean; write(text: string): unknown } = process.stderr): Promise<number> {
  const batch = openBatch(flags.config);
  switch (sub) {
    case "run":
      return flags.array || flags.index !== undefined ? runTask(batch, flags, output) : runLocal(batch, flags, output, stream);
    case "submit":
      return submit(batch, flags, output);
    case "status":
      return status(batch, output);
    default:
      throw new Error(`unreachable batch subcommand ${sub}`);
  }
}

async function runLocal(batch: Batch, flags: BatchFlags, output: CliOutput, stream: { isTTY?: boolean; write(text: string): unknown }): Promise<number> {
  const manifest = await batch.freeze();
  if (flags.stage === 2) {
    const result = await batch.runStage2();
    output.out(messages.stage2Written(result.tablePath, result.table.numRows, result.summaryPath));
    return 0;
  }
  const total = manifest.recordings.length;
  const bar = stream.isTTY ? startProgress({ label: `${batch.config.name} stage 1`, total, output: "stderr", stream }) : null;
  let finished = 0;
  const onEvent = (event: BatchEvent): void => {
    if (event.type === "started") return;
    finished++;
    if (bar !== null) bar.advance(1, `${event.recordingId} ${event.type}`);
    else output.out(messages.eventLine(finished, total, event));
  };
  const result = await batch.run({ stage: flags.stage === 1 ? 1 : "all", workers: flags.workers, onEvent, show: false });
  const stage1 = result.stage1;
  if (stage1 !== null) {
    if (stage1.interrupted) bar?.fail("interrupted");
    else bar?.finish();
    output.out(messages.stage1Summary(stage1.computed, stage1.skipped, stage1.failed.length, stage1.busy));
    for (const failure of stage1.failed) output.err(messages.failure(failure.recordingId, failure.error));
    if (stage1.interrupted) {
      output.err(messages.interrupted());
      return EXIT_INTERRUPTED;
    }
  }
  if (result.stage2 !== null) output.out(messages.stage2Written(result.stage2.tablePath, result.stage2.table.numRows, result.stage2.summaryPath));
  return stage1 !== null && stage1.failed.length > 0 ? 1 : 0;
}

async function runTask(batch: Batch, flags: BatchFlags, output: CliOutput): Promise<number> {
  const outcome = await batch.runTask({ index: flags.index, indexOffset: flags.indexOffset });
  switch (outcome.state) {
    case "done":
      output.out(outcome.skipped ? messages.taskSkipped(outcome.recordingId) : messages.taskDone(outcome.recordingId, outcome.unitCount));
      return 0;
    case "busy":
      output.out(messages.taskBusy(outcome.recordingId));
      return 0;
    case "failed":
      output.err(messages.failure(outcome.recordingId, outcome.error));
      // Recorded in the ledger; an array task still ends well so stage 2 (afterok) aggregates the others.
      return flags.array ? 0 : 1;
  }
}

async function submit(batch: Batch, flags: BatchFlags, output: CliOutput): Promise<number> {
  const result = await batch.submit({ maxParallel: flags.maxParallel, sbatch: flags.sbatch, show: false });
  for (const job of result.stage1) output.out(messages.submittedArray(job.jobId, job.chunk.taskIds.length, job.chunk.offset, job.script));
  output.out(messages.submittedStage2(result.stage2.jobId, result.stage1.map((job) => job.jobId)));
  if (result.indices.length === 0) output.out(messages.nothingToCompute());
  return 0;
}

async function status(batch: Batch, output: CliOutput): Promise<number> {
  const report = await batch.status({ show: false });
  for (const line of report.lines) output.out(line);
  return 0;
}
