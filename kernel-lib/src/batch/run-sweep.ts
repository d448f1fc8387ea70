/**
 * `runSweep`: one ledger run per parameter setting of a sweep, resumed by parameters — settings whose run is done
 * are skipped, so after a kernel restart the same cell continues where it stopped. In a kernel a sweep display
 * (BATCH_MIME, kind "sweep") shows every setting's state and failures with their errors, updated in place.
 */
import { createHash } from "crypto";
import { BatchDisplay } from "../display/batch-display";
import { shorten } from "../display/html";
import type { BatchItem } from "../display/protocol";
import { defaultDisplayWriter, type DisplayWriter } from "../display/writer";
import { canonicalJson, canonicalParams, type RunParams } from "../ledger/canonical-params";
import type { Project } from "../ledger/project";
import type { Run } from "../ledger/run";
import type { Sweep } from "../ledger/sweeps";

/** Options of {@link runSweep}. */
export interface RunSweepOptions {
  /** The ledger project the runs go into. */
  project: Project;
  /** The runs' identifier, e.g. "sta-cover-range". */
  identifier: string;
  /** The settings, e.g. `product({ coverRange: [[-30, 0], [-60, 0]] })`. */
  sweep: Sweep;
  /** Computes one setting; write files into `run.folder` / `run.path(name)` and attach them. Throwing fails the run. */
  task: (params: RunParams, run: Run) => Promise<void> | void;
  /** Name on the display. Default: the identifier. */
  name?: string;
  /** Show the sweep display. Default: when running in a kernel. */
  show?: boolean;
  writer?: DisplayWriter;
}

/** What {@link runSweep} did. */
export interface SweepResult {
  /** One run per setting, in sweep order. */
  readonly runs: readonly Run[];
  readonly computed: number;
  /** Settings whose run was already done (resumed). */
  readonly skipped: number;
  readonly failed: readonly { readonly params: RunParams; readonly error: string }[];
}

/** Runs every setting of a sweep as a ledger run, skipping settings already done. */
export async function runSweep(options: RunSweepOptions): Promise<SweepResult> {
  const settings = [...options.sweep];
  const labels = settings.map((params) => shorten(canonicalJson(canonicalParams(params)), 120));
  const show = options.show ?? (options.writer !== undefined || defaultDisplayWriter().inKernel);
  const items: BatchItem[] = labels.map((id, index) => ({ index, id, state: "queued", detail: "", unitCount: null }));
  const batchId = createHash("sha256").update(`${options.project.folder}\0${options.identifier}`).digest("hex").slice(0, 12);
  const display = show
    ? new BatchDisplay({ batchId, kind: "sweep", name: options.name ?? options.identifier, items, activity: `${settings.length} settings`, writer: options.writer })
    : null;
  const runs: Run[] = [];
  const failed: { params: RunParams; error: string }[] = [];
  let computed = 0;
  let skipped = 0;
  for (const [index, params] of settings.entries()) {
    const run = options.project.run(options.identifier, { params, existing: "resume" });
    runs.push(run);
    if (run.isDone() || !run.tryStart()) {
      skipped++;
      display?.setItem(index, { state: "skipped", detail: run.isDone() ? `run ${run.uid} already done` : `run ${run.uid} held by another process` });
      continue;
    }
    display?.setItem(index, { state: "running" });
    try {
      await options.task(params, run);
      run.done();
      computed++;
      display?.setItem(index, { state: "done", detail: `run ${run.uid}` });
    } catch (error) {
      run.error(error);
      const message = error instanceof Error ? error.message : String(error);
      failed.push({ params, error: message });
      display?.setItem(index, { state: "failed", detail: message });
    }
  }
  display?.finish(failed.length > 0 ? "failed" : "done");
  return { runs, computed, skipped, failed };
}
