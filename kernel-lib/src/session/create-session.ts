import * as path from "path";
import { ConfigurationError } from "../errors";
import type { Logger } from "./logger";
import { messages } from "./messages";
import { PipelineSession } from "./session";

/** Options of {@link createSession}. */
export interface CreateSessionOptions {
  /** Recording id; derived from `cmtrPath` (else `cmcrPath`) when omitted. */
  datasetId?: string;
  /** Raw recording (`.cmcr`); recorded in `sourceFiles`, not opened here. */
  cmcrPath?: string;
  /** Spike-sorter file (`.cmtr`); recorded in `sourceFiles`, not opened here. */
  cmtrPath?: string;
  /** Folder for `save()` without a path. Default `"artifacts"`. */
  outputDir?: string;
  logger?: Logger;
}

/**
 * The dataset id of a recording file: its stem without trailing `-` (reference §1.11), e.g.
 * `…/2025.04.10-11.12.57-Rec-.cmtr` → `2025.04.10-11.12.57-Rec`.
 */
export function deriveDatasetId(filePath: string): string {
  const stem = path.basename(filePath).replace(/\.[^.]*$/, "");
  return stem.replace(/-+$/, "");
}

/** Creates a DEFERRED session, deriving the dataset id from the file paths when it is not given. */
export function createSession(options: CreateSessionOptions = {}): PipelineSession {
  const source = options.cmtrPath || options.cmcrPath;
  let datasetId = options.datasetId;
  if (datasetId === undefined || datasetId === null) {
    if (!source) throw new ConfigurationError(messages.cannotDeriveDatasetId());
    datasetId = deriveDatasetId(source);
  }
  const session = new PipelineSession({ datasetId, outputDir: options.outputDir, logger: options.logger });
  if (options.cmcrPath || options.cmtrPath) session.setSourceFiles({ cmcrPath: options.cmcrPath, cmtrPath: options.cmtrPath });
  return session;
}
