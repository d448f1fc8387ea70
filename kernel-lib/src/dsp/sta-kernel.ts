/**
 * The inner loop of the STA as a tiny WebAssembly SIMD function: add many table rows into accumulator rows,
 * 16 bytes at a time. JavaScript cannot add packed small integers in parallel; this kernel does it about fifteen
 * times faster than the equivalent typed-array loop, which is what makes `computeUnitSta` interactive.
 *
 * The module is written out byte by byte below; its text form is
 *
 *   (module
 *     (import "env" "memory" (memory 1))
 *     (func (export "accumulate") (param $pairs i32) (param $end i32) (param $rowBytes i32)
 *       (local $src i32) (local $dst i32) (local $k i32)
 *       (loop $pair
 *         (local.set $src (i32.load offset=0 (local.get $pairs)))
 *         (local.set $dst (i32.load offset=4 (local.get $pairs)))
 *         (local.set $k (i32.const 0))
 *         (loop $vector
 *           (v128.store (local.get $dst)
 *             (iNxM.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
 *           (local.set $src (i32.add (local.get $src) (i32.const 16)))
 *           (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
 *           (br_if $vector (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 16))) (local.get $rowBytes))))
 *         (br_if $pair (i32.lt_u (local.tee $pairs (i32.add (local.get $pairs) (i32.const 8))) (local.get $end))))))
 *
 * with iNxM.add = i8x16.add (8-bit lanes) or i16x8.add (16-bit lanes). Each pair is (source byte offset,
 * accumulator byte offset); lanes wrap, so callers flush them before they can overflow.
 * @internal
 */

import { MEMORY_IMPORT_SECTION, WASM_HEADER, uleb, wasmName, wasmSection, webAssembly, type KernelMemory } from "./wasm-api";

/** Lane width of the packed additions. */
export type LaneBits = 8 | 16;


export interface StaKernel {
  readonly memory: KernelMemory;
  /** Adds, for each (source, destination) pair stored as two int32 at [pairsByteOffset, endByteOffset), a row. */
  accumulate(pairsByteOffset: number, endByteOffset: number, rowBytes: number): void;
}

// Compiled once per lane width and kept, like the other lazily loaded library handles.
const compiled: Partial<Record<LaneBits, object | null>> = {};

/**
 * Instantiates the kernel over a fresh memory of `bytes` bytes, or returns undefined when this JavaScript engine
 * has no WebAssembly SIMD (callers then use the plain loop).
 */
export function createStaKernel(options: { laneBits: LaneBits; bytes: number }): StaKernel | undefined {
  const api = webAssembly();
  const module = compileKernel(options.laneBits);
  if (api === undefined || module === null) return undefined;
  const memory = new api.Memory({ initial: Math.max(1, Math.ceil(options.bytes / 65536)) });
  const instance = new api.Instance(module, { env: { memory } });
  const accumulate = instance.exports.accumulate as (pairs: number, end: number, rowBytes: number) => void;
  return { memory, accumulate };
}


function compileKernel(laneBits: LaneBits): object | null {
  const cached = compiled[laneBits];
  if (cached !== undefined) return cached;
  const api = webAssembly();
  let module: object | null = null;
  try {
    // Engines without SIMD reject the module at compile time; the plain loop takes over then.
    if (api !== undefined) module = new api.Module(kernelBytes(laneBits));
  } catch {
    module = null;
  }
  compiled[laneBits] = module;
  return module;
}

const I32 = 0x7f;
const OP = {
  loop: 0x03,
  void: 0x40,
  end: 0x0b,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i32Const: 0x41,
  i32LtU: 0x49,
  i32Add: 0x6a,
  simd: 0xfd,
} as const;
const SIMD = { v128Load: [0x00], v128Store: [0x0b], i8x16Add: [0x6e], i16x8Add: [0x8e, 0x01] } as const;

function kernelBytes(laneBits: LaneBits): Uint8Array {
  const [pairs, end, rowBytes, src, dst, k] = [0, 1, 2, 3, 4, 5];
  const get = (local: number) => [OP.localGet, local];
  const set = (local: number) => [OP.localSet, local];
  const addConst = (local: number, value: number) => [...get(local), OP.i32Const, value, OP.i32Add];
  const v128 = (op: readonly number[], align = 4) => [OP.simd, ...op, align, 0];
  const add = laneBits === 8 ? SIMD.i8x16Add : SIMD.i16x8Add;
  const body = [
    1, 3, I32, // three i32 locals: src, dst, k
    OP.loop, OP.void,
    ...get(pairs), OP.i32Load, 2, 0, ...set(src),
    ...get(pairs), OP.i32Load, 2, 4, ...set(dst),
    OP.i32Const, 0, ...set(k),
    OP.loop, OP.void,
    ...get(dst),
    ...get(dst), ...v128(SIMD.v128Load),
    ...get(src), ...v128(SIMD.v128Load),
    OP.simd, ...add,
    ...v128(SIMD.v128Store),
    ...addConst(src, 16), ...set(src),
    ...addConst(dst, 16), ...set(dst),
    ...addConst(k, 16), OP.localTee, k, ...get(rowBytes), OP.i32LtU, OP.brIf, 0,
    OP.end,
    ...addConst(pairs, 8), OP.localTee, pairs, ...get(end), OP.i32LtU, OP.brIf, 0,
    OP.end,
    OP.end,
  ];
  const section = wasmSection;
  return Uint8Array.from([
    ...WASM_HEADER,
    ...section(1, [1, 0x60, 3, I32, I32, I32, 0]), // type: (i32, i32, i32) → ()
    ...MEMORY_IMPORT_SECTION,
    ...section(3, [1, 0]), // one function of type 0
    ...section(7, [1, ...wasmName("accumulate"), 0x00, 0]), // export it
    ...section(10, [1, ...uleb(body.length), ...body]), // its code
  ]);
}
