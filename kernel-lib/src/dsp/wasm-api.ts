/**
 * What the SIMD kernels (`sta-kernel.ts`, `eimage-kernel.ts`) share: the small part of the WebAssembly API they use
 * (the ES2022 and Node type libraries do not declare `WebAssembly`, and the public types must not need the DOM
 * library), and the binary encoding they are assembled with.
 * @internal
 */

/** A WebAssembly memory. */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => KernelMemory;
}

/** The runtime's WebAssembly, or undefined where there is none. */
export function webAssembly(): WebAssemblyApi | undefined {
  return (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}

// The WebAssembly binary encoding the kernels are written in (hand-assembled, so no toolchain is needed).

/** "\0asm", version 1. */
export const WASM_HEADER: readonly number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    if ((rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A length-prefixed ASCII name. */
export function wasmName(text: string): number[] {
  return [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
}

/** A module section: id, byte length, content. */
export function wasmSection(id: number, content: readonly number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

/** The import section both kernels use: memory "env"."memory", at least one page. */
export const MEMORY_IMPORT_SECTION: readonly number[] = wasmSection(2, [1, ...wasmName("env"), ...wasmName("memory"), 0x02, 0x00, 1]);
