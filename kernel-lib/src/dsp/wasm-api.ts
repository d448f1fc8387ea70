/**
 * The small part of the WebAssembly API the SIMD kernels use (`sta-kernel.ts`, `eimage-kernel.ts`): the ES2022 and
 * Node type libraries do not declare `WebAssembly`, and the public types must not need the DOM library.
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
