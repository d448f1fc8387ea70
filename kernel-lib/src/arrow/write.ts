import * as fs from "fs";
import * as path from "path";
import { tableToIPC, type Table } from "apache-arrow";
import { FileExistsError, HdmeaError, CheckpointError } from "../errors";
import { writeFileAtomically } from "../hdf5/atomic-write";
import { messages } from "./messages";

/** Options of {@link writeArrow}. */
export interface WriteArrowOptions {
  /** Replace an existing file. Default true; false throws `FileExistsError`. */
  overwrite?: boolean;
}

/**
 * Writes `table` as an Arrow IPC file (readable by `pyarrow.ipc.open_file` / `pandas.read_feather`) atomically: a
 * crash leaves the old file or the new one, never half of one. Returns the absolute path.
 */
export async function writeArrow(table: Table, filePath: string, options: WriteArrowOptions = {}): Promise<string> {
  const target = path.resolve(filePath);
  if (options.overwrite === false && fs.existsSync(target)) throw new FileExistsError(target, messages.fileExists(target));
  const bytes = tableToIPC(table, "file");
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await writeFileAtomically(target, (tempPath) => fs.writeFileSync(tempPath, bytes));
  } catch (error) {
    if (error instanceof HdmeaError) throw error;
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CheckpointError(target, messages.writeFailed(target, detail), { cause: error });
  }
  return target;
}
