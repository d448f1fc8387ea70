/**
 * One local worker process: `node worker-main.js CONFIG`, then one `{ type: "run", index }` message per recording
 * from its parent; computes stage 1 of that manifest recording and replies over IPC, until told to exit. The parent (local-scheduler) owns the ledger run; this process only
 * computes and saves atomically. On SIGINT/SIGTERM it removes its own temporary file and exits, so an interrupted
 * recording leaves no half file.
 */
import * as fs from "fs";
import { tempFilesFor } from "../hdf5/atomic-write";
import { BatchConfig } from "./config";
import { manifestEntry, requireManifest } from "./manifest";
import { runRecordingPipeline, sessionPathOf } from "./recording-pipeline";
import type { WorkerReply, WorkerRequest } from "./worker-protocol";

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
  const [configPath] = process.argv.slice(2);
  const config = BatchConfig.fromFile(configPath);
  const manifest = requireManifest(config);
  let target: string | null = null;
  const stop = (): void => {
    if (target !== null) for (const file of tempFilesFor(target)) if (file.includes(`-tmp-${process.pid}-`)) fs.rmSync(file, { force: true });
    process.exit(INTERRUPTED_EXIT_CODE);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("message", (message: WorkerRequest) => {
    if (message.type === "exit") {
      process.disconnect?.();
      return;
    }
    const entry = manifestEntry(manifest, message.index, "the local scheduler");
    target = sessionPathOf(config, entry.recordingId);
    runRecordingPipeline(config, entry).then(
      (result) => reply({ type: "done", index: entry.index, unitCount: result.unitCount, sessionPath: result.sessionPath }),
      (error: unknown) => {
        const err = error instanceof Error ? error : new Error(String(error));
        const code = (err as { code?: unknown }).code;
        return reply({ type: "failed", index: entry.index, error: { name: err.name, message: err.message, code: typeof code === "string" ? code : null, stack: err.stack ?? "" } });
      },
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`hdmea batch worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
