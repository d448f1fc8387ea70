/**
 * Reader of NumPy `.npy` files (format versions 1.0 and 2.0): uint8, int16, int32, float32 and float64,
 * little-endian, C order. Anything else is refused with a `DataLoadError` that says how to re-save the array.
 */
import * as fs from "fs";
import { DataLoadError, FileNotFoundError } from "../errors";
import { messages } from "./messages";
import { NPY_BYTES, NPY_MAGIC, type NpyArray, type NpyData, type NpyDtype } from "./npy-format";

/** Options of {@link readNpy}. */
export interface ReadNpyOptions {
  readonly npyPath: string;
}

const DTYPE_OF_DESCR: Readonly<Record<string, NpyDtype>> = {
  "|u1": "uint8",
  "<u1": "uint8",
  u1: "uint8",
  "|i2": "int16",
  "<i2": "int16",
  "<i4": "int32",
  "<f4": "float32",
  "<f8": "float64",
};

/** Reads a whole `.npy` file. */
export function readNpy(options: ReadNpyOptions): NpyArray {
  const { npyPath } = options;
  if (!fs.existsSync(npyPath)) throw new FileNotFoundError(npyPath, messages.fileNotFound(".npy", npyPath));
  return parseNpy(fs.readFileSync(npyPath), npyPath);
}

/** Parses the bytes of a `.npy` file; `name` is used in error messages. */
export function parseNpy(bytes: Buffer, name: string): NpyArray {
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(NPY_MAGIC)) throw new DataLoadError(name, messages.npyNotNpy(name));
  const major = bytes[6];
  const minor = bytes[7];
  if (!((major === 1 || major === 2) && minor === 0)) throw new DataLoadError(name, messages.npyVersion(name, major, minor));
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) throw new DataLoadError(name, messages.npyHeader(name, "the file ends inside the header"));
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart) throw new DataLoadError(name, messages.npyHeader(name, "the file ends inside the header"));
  const header = bytes.subarray(headerStart, dataStart).toString("latin1");

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new DataLoadError(name, messages.npyHeader(name, `expected descr, fortran_order and shape in ${JSON.stringify(header.trim())}`));
  }
  if (fortran === "True") throw new DataLoadError(name, messages.npyFortran(name));
  const dtype = DTYPE_OF_DESCR[descr];
  if (dtype === undefined) throw new DataLoadError(name, messages.npyDtype(name, descr));
  const shape = shapeText
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => Number(part.replace(/L$/, "")));
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new DataLoadError(name, messages.npyHeader(name, `shape (${shapeText}) is not a tuple of whole numbers`));
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const byteCount = count * NPY_BYTES[dtype];
  const available = bytes.length - dataStart;
  if (available < byteCount) throw new DataLoadError(name, messages.npyTruncated(name, byteCount, available));
  // Copy into a fresh buffer: the data offset need not be aligned for the typed array.
  const copy = new Uint8Array(byteCount);
  copy.set(bytes.subarray(dataStart, dataStart + byteCount));
  return { dtype, shape, data: view(dtype, copy.buffer) };
}

function view(dtype: NpyDtype, buffer: ArrayBuffer): NpyData {
  switch (dtype) {
    case "uint8":
      return new Uint8Array(buffer);
    case "int16":
      return new Int16Array(buffer);
    case "int32":
      return new Int32Array(buffer);
    case "float32":
      return new Float32Array(buffer);
    case "float64":
      return new Float64Array(buffer);
  }
}

