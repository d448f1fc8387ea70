/** The fixed-array chunk index of layout message version 4 (chunked datasets whose maximum extent is fixed). */
import { checksumHolds } from "./checksum";
import { CHECKSUM_BYTES, chunkBytes, chunkGrid, gridCount, offsetOf, type ChunkLocation, type IndexRead } from "./chunk-grid";

const CLIENT_UNFILTERED = 0;
const HEADER_BYTES = 4 + 1 + 1 + 1 + 1 + 8 + 8; // signature, version, client, entry size, page bits, count, address
const BLOCK_PREFIX_BYTES = 4 + 1 + 1 + 8; // signature, version, client, header address

/**
 * A "FAHD" header pointing to a "FADB" data block of one chunk address per grid cell. Above 2^pageBits entries
 * the block is split into pages, each followed by its checksum, and a bitmap after the block's prefix says which
 * pages were ever written (an unwritten page holds no chunks).
 */
export function readFixedArrayChunks(read: IndexRead & { readonly headerAddress: number }): ChunkLocation[] | undefined {
  const grid = chunkGrid(read);
  if (grid === undefined) return undefined;
  const header = read.file.cursor(read.headerAddress, HEADER_BYTES);
  if (header.ascii(4) !== "FAHD" || header.u8() !== 0 || header.u8() !== CLIENT_UNFILTERED) return undefined;
  if (!checksumHolds(read.file, read.headerAddress, read.headerAddress + HEADER_BYTES)) return undefined;
  const entryBytes = header.u8();
  const pageBits = header.u8();
  const count = header.u64();
  const blockAddress = header.address();
  if (entryBytes !== 8 || count !== gridCount(grid)) return undefined;
  if (blockAddress === undefined) return [];
  const block = read.baseAddress + blockAddress;
  const prefix = read.file.cursor(block, BLOCK_PREFIX_BYTES);
  if (prefix.ascii(4) !== "FADB" || prefix.u8() !== 0 || prefix.u8() !== CLIENT_UNFILTERED) return undefined;

  const pageEntries = 2 ** pageBits;
  const pages: { first: number; entries: number; address: number }[] = [];
  // Checksums: an unpaged block's covers its prefix and entries; a paged block's its prefix and bitmap, and each
  // page has its own after its entries.
  if (count <= pageEntries) {
    if (!checksumHolds(read.file, block, block + BLOCK_PREFIX_BYTES + count * entryBytes)) return undefined;
    pages.push({ first: 0, entries: count, address: block + BLOCK_PREFIX_BYTES });
  } else {
    const pageCount = Math.ceil(count / pageEntries);
    const bitmapBytes = Math.ceil(pageCount / 8);
    if (!checksumHolds(read.file, block, block + BLOCK_PREFIX_BYTES + bitmapBytes)) return undefined;
    const bitmap = read.file.read(block + BLOCK_PREFIX_BYTES, bitmapBytes);
    const firstPage = block + BLOCK_PREFIX_BYTES + bitmapBytes + CHECKSUM_BYTES;
    const pageStride = pageEntries * entryBytes + CHECKSUM_BYTES;
    for (let page = 0; page < pageCount; page++) {
      if (!bitSet(bitmap, page)) continue;
      const first = page * pageEntries;
      pages.push({ first, entries: Math.min(pageEntries, count - first), address: firstPage + page * pageStride });
    }
  }

  const bytes = chunkBytes(read);
  const chunks: ChunkLocation[] = [];
  for (const page of pages) {
    if (count > pageEntries && !checksumHolds(read.file, page.address, page.address + page.entries * entryBytes)) return undefined;
    const entries = read.file.cursor(page.address, page.entries * entryBytes);
    for (let i = 0; i < page.entries; i++) {
      const chunk = entries.address();
      if (chunk === undefined) continue; // never written
      chunks.push({ offset: offsetOf(page.first + i, grid, read.chunkShape), address: read.baseAddress + chunk, bytes });
    }
  }
  return chunks;
}

/** Bit `index` of an HDF5 bitmap, most significant bit of each byte first. */
export function bitSet(bitmap: Buffer, index: number): boolean {
  return (bitmap[index >> 3] & (0x80 >> (index & 7))) !== 0;
}
