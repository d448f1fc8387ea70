/**
 * The signal the native tree reader gives when a file uses something it does not read (or does not parse): the
 * caller then reads the whole file through h5wasm. Internal only; it never reaches users.
 * @internal
 */
export class NativeTreeUnsupported extends Error {
  override readonly name = "NativeTreeUnsupported";
}

/** Throws NativeTreeUnsupported; `reason` names the construct, for tests and debugging. */
export function unsupported(reason: string): never {
  throw new NativeTreeUnsupported(reason);
}
