/** Writer of NumPy `.npy` files (format version 1.0, C order, little-endian), readable by `numpy.load`. */
import * as fs from "fs";
import { ConfigurationError } from "../errors";
import { messages } from "./messages";
import { NPY_BYTES, NPY_DESCR, NPY_MAGIC, dtypeOfData, type NpyData } from "./npy-format";

/** Options of {@link writeNpy}. */
export interface WriteNpyOptions {
  readonly npyPath: string;
  readonly data: NpyData;
  /** C-order shape; its product must equal `data.length`. */
  readonly shape: readonly number[];
}

/** The bytes of a `.npy` file holding `data` with `shape` (the header padded to a multiple of 64 bytes, as numpy does). */
export function encodeNpy(data: NpyData, shape: readonly number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length || shape.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new ConfigurationError(messages.npyWriteShape(shape, data.length));
  }
  const dtype = dtypeOfData(data);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  const dict = `{'descr': '${NPY_DESCR[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = NPY_MAGIC.length + 2 + 2 + dict.length + 1;
  const padding = (64 - (unpadded % 64)) % 64;
  const header = Buffer.from(`${dict}${" ".repeat(padding)}\n`, "latin1");
  const prefix = Buffer.alloc(10);
  NPY_MAGIC.copy(prefix, 0);
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.length * NPY_BYTES[dtype]);
  return Buffer.concat([prefix, header, body]);
}

/** Writes `data` as a `.npy` file. */
export function writeNpy(options: WriteNpyOptions): void {
  fs.writeFileSync(options.npyPath, encodeNpy(options.data, options.shape));
}
