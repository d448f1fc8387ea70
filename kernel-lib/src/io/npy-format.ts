/** The parts of the NumPy .npy format (version 1.0 / 2.0) shared by the reader and the writer. */

/** Element types hdmea reads and writes in .npy files. */
export type NpyDtype = "uint8" | "int16" | "int32" | "float32" | "float64";

/** The typed array of each dtype. */
export type NpyData = Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** An array read from or written to a .npy file: C-order data and its shape. */
export interface NpyArray {
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  readonly data: NpyData;
}

export const NPY_MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** The little-endian `descr` of each dtype, as numpy writes it. */
export const NPY_DESCR: Readonly<Record<NpyDtype, string>> = {
  uint8: "|u1",
  int16: "<i2",
  int32: "<i4",
  float32: "<f4",
  float64: "<f8",
};

export const NPY_BYTES: Readonly<Record<NpyDtype, number>> = { uint8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

export function dtypeOfData(data: NpyData): NpyDtype {
  if (data instanceof Uint8Array) return "uint8";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Float32Array) return "float32";
  return "float64";
}
