/**
 * Global heap collections ("GCOL"), where variable-length strings keep their bytes. Each collection is read whole
 * once and its objects indexed; a tree walk touches few collections, each many times.
 */
import type { FileBytes } from "./file-bytes";

/**
 * A collection whose objects do not tile it as HDF5 lays them out. HDF5 itself can loop forever reading such a
 * collection (an object of size 0), so a file with one must be refused, not handed to h5wasm.
 * @internal
 */
export class DamagedGlobalHeap extends Error {
  override readonly name = "DamagedGlobalHeap";
}

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
    const damaged = (detail: string): never => {
      throw new DamagedGlobalHeap(`the global heap collection at byte ${address} is damaged (${detail})`);
    };
    // Objects follow one another up to the free space (object 0, its size counting its header), which runs to the
    // end; fewer bytes than an object header left at the end are free space too.
    while (body.remaining >= OBJECT_HEADER_BYTES) {
      const index = body.u16();
      body.skip(6); // reference count, reserved
      const bytes = body.u64();
      if (index === 0) {
        if (bytes !== body.remaining + OBJECT_HEADER_BYTES) damaged(`free space of ${bytes} bytes where ${body.remaining + OBJECT_HEADER_BYTES} are left`);
        break;
      }
      if (bytes > body.remaining) damaged(`object ${index} of ${bytes} bytes where ${body.remaining} are left`);
      objects.set(index, body.bytes(bytes));
      const padding = (8 - (bytes % 8)) % 8;
      if (padding > body.remaining) damaged(`object ${index} overruns the collection`);
      body.skip(padding);
    }
    return objects;
  }
}
