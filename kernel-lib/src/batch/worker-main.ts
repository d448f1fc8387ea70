/**
 * One local worker process: `node worker-main.js CONFIG INDEX` computes stage 1 of the manifest's recording INDEX
 * and reports the result to its parent over IPC. The parent (local-scheduler) owns the ledger run; this process only
 * computes and saves atomically. On SIGINT/SIGTERM it removes its own temporary file and exits, so an interrupted
 * recording leaves no half file.
 */
import * as fs from "fs";
import { tempFilesFor } from "../hdf5/atomic-write";
import { BatchConfig } from "./config";
import { manifestEntry, requireManifest } from "./manifest";
import { runRecordingPipeline, sessionPathOf } from "./recording-pipeline";
import type { WorkerReply } from "./worker-protocol";

const INTERRUPTED_EXIT_CODE = 130;

function reply(message: WorkerReply): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      resolve();
    } else {
      process.send(message, () => resolve());
    }
  });
}

async function main(): Promise<void> {
  const [configPath, indexText] = process.argv.slice(2);
  const config = BatchConfig.fromFile(configPath);
  const entry = manifestEntry(requireManifest(config), Number(indexText), "the local scheduler");
  const target = sessionPathOf(config, entry.recordingId);
  const stop = (): void => {
    for (const file of tempFilesFor(target)) if (file.includes(`-tmp-${process.pid}-`)) fs.rmSync(file, { force: true });
    process.exit(INTERRUPTED_EXIT_CODE);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    const result = await runRecordingPipeline(config, entry);
    await reply({ type: "done", index: entry.index, unitCount: result.unitCount, sessionPath: result.sessionPath });
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    await reply({ type: "failed", index: entry.index, error: { name: err.name, message: err.message, code: (err as { code?: unknown }).code ?? null, stack: err.stack ?? "" } });
  }
  process.disconnect?.();
}

main().catch((error: unknown) => {
  process.stderr.write(`hdmea batch worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
