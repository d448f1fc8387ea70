/**
 * The inner loops of the eimage as a small WebAssembly SIMD module (f64x2 lanes): the time-major sensor block is
 * regrouped band-major (16 neighbouring electrodes per band), each band is zero-phase filtered with one biquad in
 * both directions (its 16 electrodes advance together, one sample row at a time, two per vector, the filter state
 * in registers), and spike windows are added straight from the filter buffer into the accumulators. JavaScript has
 * no SIMD and cannot keep several IIR chains in flight as well; this runs several times faster than the best
 * typed-array loop. The arithmetic per trace is exactly `sosfiltfilt`'s (float64, scipy's order of operations);
 * results are rounded to float32 like the reference's cast.
 *
 * Exports (all offsets in bytes into the kernel's memory; every loop runs at least once; a band row is 16 float64
 * = 128 bytes, a band's filter state is its z0 row then its z1 row, 256 bytes):
 *   regroup(src, rows, rowBytes, bands, dst, bandStride)   64-byte piece b of row r → dst + b·bandStride + r·64
 *                                                   (a band-major float32 copy, so that later passes read in order)
 *   regroup16(src, rows, rowBytes, bands, dst, bandStride)  the same for int16 rows (raw ADC counts): 32-byte
 *                                                   piece b of row r → dst + b·bandStride + r·32
 *   forwardFrom(src, ext, rows, state, b0, b1, b2, a1, a2)   biquad over float32 band rows 0 … rows−1 at src
 *                                                   (64 bytes each), outputs to the float64 rows at ext; state updated
 *   forwardFrom16(src, ext, rows, state, …)          the same over int16 band rows (32 bytes each)
 *   forward(ext, rows, state, b0, b1, b2, a1, a2)   the same in place over float64 rows (the padding)
 *   backward(ext, rows, state, b0, b1, b2, a1, a2)  in place over rows rows−1 … 0, results rounded to float32
 *   accumulate(pairs, end, lengthBytes, dstAdd)    for each (src, dst) int32 pair: dst + dstAdd += src, float64
 *                                                   (lengthBytes a multiple of 128: one band row per iteration)
 * @internal
 */
import { MEMORY_IMPORT_SECTION, WASM_HEADER, sleb, uleb, wasmName, wasmSection, webAssembly, type KernelMemory } from "./wasm-api";

type BiquadPass = (ext: number, rows: number, state: number, b0: number, b1: number, b2: number, a1: number, a2: number) => void;
type BiquadPassFrom = (src: number, ext: number, rows: number, state: number, b0: number, b1: number, b2: number, a1: number, a2: number) => void;

/** An instance of the kernel over its own memory. */
export interface EimageKernel {
  readonly memory: KernelMemory;
  forward: BiquadPass;
  forwardFrom: BiquadPassFrom;
  forwardFrom16: BiquadPassFrom;
  backward: BiquadPass;
  accumulate(pairs: number, end: number, lengthBytes: number, dstAdd: number): void;
  regroup(src: number, rows: number, rowBytes: number, bands: number, dst: number, bandStride: number): void;
  regroup16(src: number, rows: number, rowBytes: number, bands: number, dst: number, bandStride: number): void;
  /** Makes the memory at least `bytes` long. */
  ensure(bytes: number): void;
}

// Compiled once and kept, like the other lazily loaded library handles.
let compiled: object | null | undefined;

/**
 * The compiled kernel module, or undefined when this engine has no WebAssembly SIMD. Worker threads are given
 * this module rather than compiling their own: the engine shares one compiled code between them, so the optimised
 * code one thread has tiered up to serves all of them from their first call.
 */
export function compileEimageKernel(): object | undefined {
  const api = webAssembly();
  if (api === undefined) return undefined;
  if (compiled === undefined) {
    try {
      compiled = new api.Module(moduleBytes());
    } catch {
      compiled = null;
    }
  }
  return compiled ?? undefined;
}

/**
 * A kernel over a fresh memory of `bytes` bytes (of `module`, default {@link compileEimageKernel}'s), or undefined
 * when this engine has no WebAssembly SIMD.
 */
export function createEimageKernel(options: { bytes: number; module?: object }): EimageKernel | undefined {
  const api = webAssembly();
  const wasmModule = options.module ?? compileEimageKernel();
  if (api === undefined || wasmModule === undefined) return undefined;
  const memory = new api.Memory({ initial: Math.max(1, Math.ceil(options.bytes / PAGE)) });
  // Not named `exports`: that would shadow CommonJS's exports, which the compiled code reads for the constants.
  const kernel = new api.Instance(wasmModule, { env: { memory } }).exports;
  return {
    memory,
    forward: kernel.forward as BiquadPass,
    forwardFrom: kernel.forwardFrom as BiquadPassFrom,
    forwardFrom16: kernel.forwardFrom16 as BiquadPassFrom,
    backward: kernel.backward as BiquadPass,
    accumulate: kernel.accumulate as EimageKernel["accumulate"],
    regroup: kernel.regroup as EimageKernel["regroup"],
    regroup16: kernel.regroup16 as EimageKernel["regroup16"],
    ensure(bytes) {
      const have = memory.buffer.byteLength;
      if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
    },
  };
}

const PAGE = 65536;
const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
const OP = {
  loop: 0x03,
  void: 0x40,
  end: 0x0b,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i32Load: 0x28,
  i32Const: 0x41,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32ShrU: 0x76,
  simd: 0xfd,
} as const;
const SIMD = {
  load: [0x00],
  store: [0x0b],
  splat: [0x14],
  load16x4: [0x03],
  load64Zero: [0x5d],
  demote: [0x5e],
  promote: [0x5f],
  add: [0xf0, 0x01],
  sub: [0xf1, 0x01],
  mul: [0xf2, 0x01],
  convertLowI32: [0xfe, 0x01],
} as const;

const get = (local: number) => [OP.get, local];
const set = (local: number) => [OP.set, local];
const simd = (op: readonly number[]) => [OP.simd, ...op];
const memarg = (align: number, offset = 0) => [align, ...uleb(offset)];
const i32 = (value: number) => [OP.i32Const, ...sleb(value)];
/** local += value; br_if 0 while local < limit (unsigned). */
const stepAndLoop = (local: number, by: number[], limit: number[]) => [...get(local), ...by, OP.i32Add, OP.tee, local, ...limit, OP.i32LtU, OP.brIf, 0];

/**
 * Copies 64-byte pieces of each row into band-major order: piece b of row r → dst + b·bandStride + r·64. Band by
 * band, so that each band's destination is written in one sequential run (the tile being read stays in cache).
 * With `int16` (raw ADC counts) a piece is 16 int16, 32 bytes: the band keeps half the bytes of float32, for the
 * regrouping to write and the forward pass to read.
 */
function regroupBody(int16: boolean): number[] {
  const [src, rows, rowBytes, bands, dst, bandStride, r, b, from, to] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const copy = (offset: number) => [...get(to), ...get(from), ...simd(SIMD.load), ...memarg(0, offset), ...simd(SIMD.store), ...memarg(0, offset)];
  const pieceBytes = int16 ? 32 : 64;
  const piece = int16 ? [...copy(0), ...copy(16)] : [...copy(0), ...copy(16), ...copy(32), ...copy(48)];
  return [
    1, 4, I32, // r, b, from, to
    ...i32(0), ...set(b),
    OP.loop, OP.void,
    ...get(src), ...set(from),
    ...get(dst), ...set(to),
    ...i32(0), ...set(r),
    OP.loop, OP.void,
    ...piece,
    ...get(from), ...get(rowBytes), OP.i32Add, ...set(from),
    ...get(to), ...i32(pieceBytes), OP.i32Add, ...set(to),
    ...stepAndLoop(r, i32(1), get(rows)),
    OP.end,
    ...get(src), ...i32(pieceBytes), OP.i32Add, ...set(src),
    ...get(dst), ...get(bandStride), OP.i32Add, ...set(dst),
    ...stepAndLoop(b, i32(1), get(bands)),
    OP.end,
    OP.end,
  ];
}

/**
 * One biquad pass over rows of one band (128 bytes: eight f64x2), the band's filter state held in locals for the
 * whole pass (loaded from and stored back to `state` at the ends): the eight chains of a row then carry no loads
 * and stores of state and no address arithmetic. `backward` walks the rows from the last one and rounds its
 * outputs to float32; `from` reads each row's inputs from `src` instead of `ext`: float32 rows (64 bytes, two
 * values per vector promoted) or int16 rows (32 bytes, two values per vector sign-extended and converted, exactly).
 */
function biquadBody(backward: boolean, from?: "float32" | "int16"): number[] {
  const shift = from === undefined ? 0 : 1;
  const src = 0;
  const [ext, rows, state, b0, b1, b2, a1, a2] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => i + shift);
  const first = 8 + shift;
  const r = first;
  const [B0, B1, B2, A1, A2, x, y] = [1, 2, 3, 4, 5, 6, 7].map((i) => first + i);
  const z0 = (v: number) => first + 8 + v;
  const z1 = (v: number) => first + 16 + v;
  const splat = (from: number, to: number) => [...get(from), ...simd(SIMD.splat), ...set(to)];
  const mul = (a: number, b: number) => [...get(a), ...get(b), ...simd(SIMD.mul)];
  const load = (base: number, offset: number) => [...get(base), ...simd(SIMD.load), ...memarg(4, offset)];
  const store = (base: number, offset: number, value: number[]) => [...get(base), ...value, ...simd(SIMD.store), ...memarg(4, offset)];
  const input = (v: number) =>
    from === "float32"
      ? [...get(src), ...simd(SIMD.load64Zero), ...memarg(3, 8 * v), ...simd(SIMD.promote)]
      : from === "int16"
        ? [...get(src), ...simd(SIMD.load16x4), ...memarg(2, 4 * v), ...simd(SIMD.convertLowI32)]
        : load(ext, 16 * v);
  const rowBytes = from === "int16" ? 32 : 64;
  const output = backward ? [...get(y), ...simd(SIMD.demote), ...simd(SIMD.promote)] : get(y);
  const lane = (v: number) => [
    ...input(v), ...set(x),
    ...mul(B0, x), ...get(z0(v)), ...simd(SIMD.add), ...set(y),
    ...mul(B1, x), ...mul(A1, y), ...simd(SIMD.sub), ...get(z1(v)), ...simd(SIMD.add), ...set(z0(v)),
    ...mul(B2, x), ...mul(A2, y), ...simd(SIMD.sub), ...set(z1(v)),
    ...store(ext, 16 * v, output),
  ];
  const lanes = [0, 1, 2, 3, 4, 5, 6, 7];
  return [
    2, 1, I32, 23, V128, // r; B0 B1 B2 A1 A2 x y, z0[8], z1[8]
    ...splat(b0, B0), ...splat(b1, B1), ...splat(b2, B2), ...splat(a1, A1), ...splat(a2, A2),
    ...lanes.flatMap((v) => [...load(state, 16 * v), ...set(z0(v)), ...load(state, 128 + 16 * v), ...set(z1(v))]),
    ...(backward ? [...get(ext), ...get(rows), ...i32(1), OP.i32Sub, ...i32(128), OP.i32Mul, OP.i32Add, ...set(ext)] : []),
    ...i32(0), ...set(r),
    OP.loop, OP.void,
    ...lanes.flatMap(lane),
    ...get(ext), ...i32(128), backward ? OP.i32Sub : OP.i32Add, ...set(ext),
    ...(from === undefined ? [] : [...get(src), ...i32(rowBytes), OP.i32Add, ...set(src)]),
    ...stepAndLoop(r, i32(1), get(rows)),
    OP.end,
    ...lanes.flatMap((v) => [...store(state, 16 * v, get(z0(v))), ...store(state, 128 + 16 * v, get(z1(v)))]),
    OP.end,
  ];
}

/** Adds one 128-byte row (eight f64x2) per iteration: a quarter of the loop overhead of one vector at a time. */
function accumulateBody(): number[] {
  const [pairs, end, length, dstAdd, src, dst, k] = [0, 1, 2, 3, 4, 5, 6];
  const add = (offset: number) => [
    ...get(dst),
    ...get(dst), ...simd(SIMD.load), ...memarg(3, offset),
    ...get(src), ...simd(SIMD.load), ...memarg(3, offset),
    ...simd(SIMD.add),
    ...simd(SIMD.store), ...memarg(3, offset),
  ];
  return [
    1, 3, I32, // src, dst, k
    OP.loop, OP.void,
    ...get(pairs), OP.i32Load, ...memarg(2, 0), ...set(src),
    ...get(pairs), OP.i32Load, ...memarg(2, 4), ...get(dstAdd), OP.i32Add, ...set(dst),
    ...i32(0), ...set(k),
    OP.loop, OP.void,
    ...[0, 16, 32, 48, 64, 80, 96, 112].flatMap(add),
    ...get(src), ...i32(128), OP.i32Add, ...set(src),
    ...get(dst), ...i32(128), OP.i32Add, ...set(dst),
    ...stepAndLoop(k, i32(128), get(length)),
    OP.end,
    ...stepAndLoop(pairs, i32(8), get(end)),
    OP.end,
    OP.end,
  ];
}

function moduleBytes(): Uint8Array {
  const section = wasmSection;
  const body = (code: number[]) => [...uleb(code.length), ...code];
  const exported = (text: string, index: number) => [...wasmName(text), 0x00, index];
  return Uint8Array.from([
    ...WASM_HEADER,
    ...section(1, [
      4,
      0x60, 8, I32, I32, I32, F64, F64, F64, F64, F64, 0, // forward, backward
      0x60, 9, I32, I32, I32, I32, F64, F64, F64, F64, F64, 0, // forwardFrom
      0x60, 4, I32, I32, I32, I32, 0, // accumulate
      0x60, 6, I32, I32, I32, I32, I32, I32, 0, // regroup
    ]),
    ...MEMORY_IMPORT_SECTION,
    ...section(3, [7, 0, 1, 0, 2, 3, 3, 1]),
    ...section(7, [
      7,
      ...exported("forward", 0),
      ...exported("forwardFrom", 1),
      ...exported("backward", 2),
      ...exported("accumulate", 3),
      ...exported("regroup", 4),
      ...exported("regroup16", 5),
      ...exported("forwardFrom16", 6),
    ]),
    ...section(10, [
      7,
      ...body(biquadBody(false)),
      ...body(biquadBody(false, "float32")),
      ...body(biquadBody(true)),
      ...body(accumulateBody()),
      ...body(regroupBody(false)),
      ...body(regroupBody(true)),
      ...body(biquadBody(false, "int16")),
    ]),
  ]);
}
