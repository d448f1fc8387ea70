/**
 * Opening an HDF5 file for reading with typed errors: the signature is checked before h5wasm sees the file (so a
 * text file never reaches HDF5), and HDF5's multi-line diagnostics are cut to the line worth showing. The session
 * loader and the MCS readers share this and pass their own messages, which say what to do next in their context.
 */
import * as fs from "fs";
import { DataLoadError } from "../errors";
import { loadH5wasm, type H5File } from "./bridge";

const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The messages of a caller: for a file without the HDF5 signature, and for one HDF5 cannot open. */
export interface OpenMessages {
  notHdf5(file: string): string;
  cannotOpen(file: string, detail: string): string;
}

/** True when the file carries the HDF5 signature at 0 or at a user-block offset (512, 1024, 2048, …). */
export function hasHdf5Signature(filePath: string): boolean {
  const fd = fs.openSync(filePath, "r");
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(8);
    for (let offset = 0; offset + 8 <= size; offset = offset === 0 ? 512 : offset * 2) {
      fs.readSync(fd, head, 0, 8, offset);
      if (head.equals(HDF5_SIGNATURE)) return true;
    }
    return false;
  } finally {
    fs.closeSync(fd);
  }
}

/** Opens an existing file read-only; `DataLoadError` (with the caller's message) when it is not HDF5 or damaged. */
export async function openHdf5ReadOnly(filePath: string, messages: OpenMessages): Promise<H5File> {
  if (!hasHdf5Signature(filePath)) throw new DataLoadError(filePath, messages.notHdf5(filePath));
  const h5 = await loadH5wasm();
  try {
    return new h5.File(filePath, "r");
  } catch (error) {
    throw new DataLoadError(filePath, messages.cannotOpen(filePath, h5ErrorSummary(error)), { cause: error });
  }
}

/** The line of an HDF5 error worth showing (its diagnostics run to dozens of lines), at most 300 characters. */
export function h5ErrorSummary(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  const useful = lines.find((line) => /unable|error|not|fail|truncat/i.test(line) && !line.startsWith("HDF5-DIAG"));
  const minor = lines.find((line) => line.startsWith("minor:"));
  return [useful ?? lines[0] ?? "unknown error", minor].filter(Boolean).join(" — ").slice(0, 300);
}
