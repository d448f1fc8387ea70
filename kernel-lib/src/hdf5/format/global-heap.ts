/**
 * Global heap collections ("GCOL"), where variable-length strings keep their bytes. Each collection is read whole
 * once and its objects indexed; a tree walk touches few collections, each many times.
 */
import type { FileBytes } from "./file-bytes";

const COLLECTION_HEADER_BYTES = 16; // "GCOL", version, reserved, collection size
const OBJECT_HEADER_BYTES = 16; // index, reference count, reserved, size

/** Reads objects of the global heap collections of one file. */
export class GlobalHeap {
  private readonly collections = new Map<number, Map<number, Buffer> | undefined>();

  constructor(private readonly file: FileBytes) {}

  /** Object `index` of the collection at absolute offset `address`, or undefined when there is none. */
  object(address: number, index: number): Buffer | undefined {
    let collection = this.collections.get(address);
    if (!this.collections.has(address)) {
      collection = this.readCollection(address);
      this.collections.set(address, collection);
    }
    return collection?.get(index);
  }

  private readCollection(address: number): Map<number, Buffer> | undefined {
    const head = this.file.cursor(address, COLLECTION_HEADER_BYTES);
    if (head.ascii(4) !== "GCOL" || head.u8() !== 1) return undefined;
    head.skip(3);
    const size = head.u64();
    if (size < COLLECTION_HEADER_BYTES) return undefined;
    const body = this.file.cursor(address, size);
    body.seek(COLLECTION_HEADER_BYTES);
    const objects = new Map<number, Buffer>();
    while (body.remaining >= OBJECT_HEADER_BYTES) {
      const index = body.u16();
      body.skip(6); // reference count, reserved
      const bytes = body.u64();
      if (index === 0) break; // the free space runs to the end of the collection
      if (bytes > body.remaining) return undefined;
      objects.set(index, body.bytes(bytes));
      body.skip(Math.min(body.remaining, (8 - (bytes % 8)) % 8));
    }
    return objects;
  }
}
