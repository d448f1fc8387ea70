/**
 * Objects of a fractal heap ("FRHP"), where dense groups keep their link messages and dense attribute storage its
 * attribute messages. Only what those use is read: managed objects (in direct blocks reached through the root
 * direct or indirect block) and tiny objects kept inside the heap ID. Huge objects and filtered heaps are refused.
 */
import { checksumHolds } from "./checksum";
import type { FileBytes } from "./file-bytes";

const HEADER_BYTES = 4 + 1 + 2 + 2 + 1 + 4 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 2 + 8 + 8 + 2 + 2 + 8 + 2;
const ID_MANAGED = 0;
const ID_TINY = 2;
/** Deeper than any heap a real file holds. */
const MAX_INDIRECT_DEPTH = 16;

/** One fractal heap, ready to give objects by heap ID. */
export interface FractalHeap {
  /** The object a heap ID names, or undefined when it is of a kind not read here or points outside the heap. */
  object(id: Buffer): Buffer | undefined;
}

/** The heap whose header is at absolute offset `address`, or undefined when it is not one this reader follows. */
export function openFractalHeap(options: { file: FileBytes; baseAddress: number; address: number }): FractalHeap | undefined {
  const { file, baseAddress } = options;
  const c = file.cursor(options.address, HEADER_BYTES);
  if (c.ascii(4) !== "FRHP" || c.u8() !== 0) return undefined;
  c.u16(); // heap ID length: the callers' records say it
  const filterBytes = c.u16();
  c.u8(); // flags
  const maxManagedBytes = c.u32();
  c.skip(12 * 8); // huge-object id and tree, free space, statistics
  const tableWidth = c.u16();
  const startingBlockBytes = c.u64();
  const maxDirectBlockBytes = c.u64();
  const maxHeapBits = c.u16();
  c.u16(); // starting rows of the root indirect block
  const rootAddress = c.address();
  const rootRows = c.u16();
  // (The checksum follows the fixed fields when the heap has no filters, the only kind read here.)
  if (filterBytes !== 0 || !checksumHolds(file, options.address, options.address + HEADER_BYTES)) return undefined;
  if (tableWidth === 0 || maxHeapBits > 48 || maxManagedBytes === 0 || !isPowerOfTwo(startingBlockBytes) || !isPowerOfTwo(maxDirectBlockBytes)) return undefined;
  const offsetBytes = Math.ceil(maxHeapBits / 8);
  const lengthBytes = Math.min(Math.ceil(Math.log2(maxDirectBlockBytes) / 8), Math.floor(Math.floor(Math.log2(maxManagedBytes)) / 8) + 1);
  const maxDirectRows = Math.log2(maxDirectBlockBytes) - Math.log2(startingBlockBytes) + 2;
  const rowBlockBytes = (row: number) => (row === 0 ? startingBlockBytes : startingBlockBytes * 2 ** (row - 1));

  // Indirect blocks whose checksum held, so that each is checked once per heap.
  const checkedBlocks = new Set<number>();
  /** Absolute file offset of the `length` bytes at heap offset `offset`, descending from the root block. */
  const locate = (offset: number, length: number): number | undefined => {
    if (rootAddress === undefined) return undefined;
    if (rootRows === 0) return offset + length <= startingBlockBytes ? baseAddress + rootAddress + offset : undefined;
    let block = baseAddress + rootAddress;
    let rows = rootRows;
    let blockOffset = 0;
    for (let depth = 0; depth < MAX_INDIRECT_DEPTH; depth++) {
      let rowStart = blockOffset;
      let row = 0;
      for (; row < rows; row++) {
        const rowBytes = rowBlockBytes(row) * tableWidth;
        if (offset < rowStart + rowBytes) break;
        rowStart += rowBytes;
      }
      if (row === rows) return undefined;
      const column = Math.floor((offset - rowStart) / rowBlockBytes(row));
      const entry = row * tableWidth + column;
      const prefix = 4 + 1 + 8 + offsetBytes;
      const entryCursor = file.cursor(block, prefix + 8 * (entry + 1));
      if (entryCursor.ascii(4) !== "FHIB" || entryCursor.u8() !== 0) return undefined;
      // Direct-block entries of an unfiltered heap are bare addresses, as are indirect ones: the checksum follows
      // rows × width of them.
      if (!checkedBlocks.has(block) && !checksumHolds(file, block, block + prefix + 8 * rows * tableWidth)) return undefined;
      checkedBlocks.add(block);
      entryCursor.seek(prefix + 8 * entry);
      const child = entryCursor.address();
      if (child === undefined) return undefined;
      const childOffset = rowStart + column * rowBlockBytes(row);
      if (row < maxDirectRows) {
        return offset - childOffset + length <= rowBlockBytes(row) ? baseAddress + child + (offset - childOffset) : undefined;
      }
      block = baseAddress + child;
      blockOffset = childOffset;
      rows = Math.log2(rowBlockBytes(row)) - Math.log2(startingBlockBytes * tableWidth) + 1;
    }
    return undefined;
  };

  return {
    object(id) {
      const type = (id[0] >> 4) & 0x03;
      if (id[0] >> 6 !== 0) return undefined;
      if (type === ID_TINY) {
        const length = (id[0] & 0x0f) + 1;
        return id.length <= 18 && 1 + length <= id.length ? id.subarray(1, 1 + length) : undefined;
      }
      if (type !== ID_MANAGED || 1 + offsetBytes + lengthBytes > id.length) return undefined;
      const offset = id.readUIntLE(1, offsetBytes);
      const length = id.readUIntLE(1 + offsetBytes, lengthBytes);
      const at = locate(offset, length);
      return at === undefined ? undefined : file.read(at, length);
    },
  };
}

function isPowerOfTwo(value: number): boolean {
  return value > 0 && Number.isInteger(Math.log2(value));
}
