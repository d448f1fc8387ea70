/**
 * The extensible-array chunk index of layout message version 4 (chunked datasets with exactly one unlimited
 * dimension). The array's elements (chunk addresses) sit first in its index block, then in data blocks that double
 * in size every other step; the first data blocks are listed in the index block, later ones in super blocks.
 */
import { chunkBytes, offsetOf, type ChunkLocation, type IndexRead } from "./chunk-grid";

const CLIENT_UNFILTERED = 0;
const HEADER_BYTES = 4 + 1 + 1 + 6 + 6 * 8 + 8; // signature, version, client, six parameters, six statistics, index block
const BLOCK_PREFIX_BYTES = 4 + 1 + 1 + 8; // signature, version, client, header address
/** Refuses arrays whose creation parameters would make absurd block tables (damaged files). */
const MAX_ELEMENT_BITS = 64;

interface ArrayParameters {
  readonly indexBlockElements: number;
  readonly dataBlockMinElements: number;
  readonly superBlockMinDataBlocks: number;
  readonly pageElements: number;
  /** Bytes of the "block offset" field in data and super blocks. */
  readonly blockOffsetBytes: number;
  readonly superBlockCount: number;
}

/** One super block's share of the array: how many data blocks, of how many elements, from which element on. */
interface SuperBlockInfo {
  readonly dataBlocks: number;
  readonly dataBlockElements: number;
  readonly firstElement: number;
  readonly firstDataBlock: number;
}

/**
 * The array's allocated chunks; undefined when it is not an unfiltered chunk array, or when a data block it needs
 * is split into pages (only past ~130 000 chunks with the default parameters; left to h5wasm).
 */
export function readExtensibleArrayChunks(read: IndexRead & { readonly headerAddress: number }): ChunkLocation[] | undefined {
  const unlimited = read.dataspace.maxDims.flatMap((max, d) => (max === undefined ? [d] : []));
  if (unlimited.length !== 1) return undefined;
  const header = read.file.cursor(read.headerAddress, HEADER_BYTES);
  if (header.ascii(4) !== "EAHD" || header.u8() !== 0 || header.u8() !== CLIENT_UNFILTERED || header.u8() !== 8) return undefined;
  const maxElementBits = header.u8();
  const indexBlockElements = header.u8();
  const dataBlockMinElements = header.u8();
  const superBlockMinDataBlocks = header.u8();
  const pageBits = header.u8();
  header.skip(4 * 8); // super block and data block counts and sizes
  const elementCount = header.u64(); // one past the largest index ever set
  header.skip(8);
  const indexBlockAddress = header.address();
  if (indexBlockAddress === undefined || elementCount === 0) return [];
  if (maxElementBits > MAX_ELEMENT_BITS || !isPowerOfTwo(dataBlockMinElements) || !isPowerOfTwo(superBlockMinDataBlocks)) return undefined;
  const parameters: ArrayParameters = {
    indexBlockElements,
    dataBlockMinElements,
    superBlockMinDataBlocks,
    pageElements: 2 ** pageBits,
    blockOffsetBytes: Math.ceil(maxElementBits / 8),
    superBlockCount: 1 + maxElementBits - Math.log2(dataBlockMinElements),
  };
  const elements = readElements(read, parameters, read.baseAddress + indexBlockAddress, elementCount);
  if (elements === undefined) return undefined;

  // Chunks are numbered row-major with the unlimited dimension moved to the front (slowest), the others over
  // their maximum extent.
  const order = [unlimited[0], ...read.chunkShape.map((_, d) => d).filter((d) => d !== unlimited[0])];
  const grid = read.chunkShape.map((size, d) => (d === unlimited[0] ? Number.MAX_SAFE_INTEGER : Math.ceil((read.dataspace.maxDims[d] as number) / size)));
  const bytes = chunkBytes(read);
  return elements.map(({ index, address }) => ({ offset: offsetOf(index, grid, read.chunkShape, order), address: read.baseAddress + address, bytes }));
}

function isPowerOfTwo(value: number): boolean {
  return value > 0 && Number.isInteger(Math.log2(value));
}

/** One written element: its index in the array and its value (a chunk address relative to the base). */
interface Element {
  readonly index: number;
  readonly address: number;
}

/** The written elements among the first `count` of the array, in index order. */
function readElements(read: IndexRead, parameters: ArrayParameters, indexBlock: number, count: number): Element[] | undefined {
  const infos = superBlockInfos(parameters);
  const indexSuperBlocks = 2 * Math.log2(parameters.superBlockMinDataBlocks);
  const indexDataBlocks = 2 * (parameters.superBlockMinDataBlocks - 1);
  const indexSuperBlockAddresses = parameters.superBlockCount - indexSuperBlocks;
  const block = read.file.cursor(indexBlock, BLOCK_PREFIX_BYTES + 8 * (parameters.indexBlockElements + indexDataBlocks + indexSuperBlockAddresses));
  if (block.ascii(4) !== "EAIB" || block.u8() !== 0 || block.u8() !== CLIENT_UNFILTERED) return undefined;
  block.skip(8);
  const elements: Element[] = [];
  for (let index = 0; index < parameters.indexBlockElements; index++) {
    const address = block.address();
    if (address !== undefined && index < count) elements.push({ index, address });
  }
  const dataBlockAddresses: (number | undefined)[] = [];
  for (let i = 0; i < indexDataBlocks; i++) dataBlockAddresses.push(block.address());
  const superBlockAddresses: (number | undefined)[] = [];
  for (let i = 0; i < indexSuperBlockAddresses; i++) superBlockAddresses.push(block.address());

  for (let s = 0; s < infos.length && parameters.indexBlockElements + infos[s].firstElement < count; s++) {
    const info = infos[s];
    let blockAddresses: readonly (number | undefined)[];
    if (s < indexSuperBlocks) {
      blockAddresses = dataBlockAddresses.slice(info.firstDataBlock, info.firstDataBlock + info.dataBlocks);
    } else {
      const superBlock = superBlockAddresses[s - indexSuperBlocks];
      if (superBlock === undefined) continue; // none of its data blocks was ever written
      const listed = readSuperBlock(read, parameters, info, read.baseAddress + superBlock);
      if (listed === undefined) return undefined;
      blockAddresses = listed;
    }
    for (let b = 0; b < blockAddresses.length; b++) {
      const first = parameters.indexBlockElements + info.firstElement + b * info.dataBlockElements;
      const address = blockAddresses[b];
      if (first >= count) break;
      if (address === undefined) continue;
      const values = readDataBlock(read, parameters, info, read.baseAddress + address, Math.min(info.dataBlockElements, count - first));
      if (values === undefined) return undefined;
      values.forEach((value, i) => {
        if (value !== undefined) elements.push({ index: first + i, address: value });
      });
    }
  }
  return elements;
}

/** Super block `s` holds 2^⌊s/2⌋ data blocks of 2^⌊(s+1)/2⌋ × the minimum elements each. */
function superBlockInfos(parameters: ArrayParameters): SuperBlockInfo[] {
  const infos: SuperBlockInfo[] = [];
  let firstElement = 0;
  let firstDataBlock = 0;
  for (let s = 0; s < parameters.superBlockCount; s++) {
    const dataBlocks = 2 ** Math.floor(s / 2);
    const dataBlockElements = 2 ** Math.floor((s + 1) / 2) * parameters.dataBlockMinElements;
    infos.push({ dataBlocks, dataBlockElements, firstElement, firstDataBlock });
    firstElement += dataBlocks * dataBlockElements;
    firstDataBlock += dataBlocks;
  }
  return infos;
}

function readSuperBlock(read: IndexRead, parameters: ArrayParameters, info: SuperBlockInfo, address: number): (number | undefined)[] | undefined {
  if (info.dataBlockElements > parameters.pageElements) return undefined; // paged data blocks: not read
  const block = read.file.cursor(address, BLOCK_PREFIX_BYTES + parameters.blockOffsetBytes + 8 * info.dataBlocks);
  if (block.ascii(4) !== "EASB" || block.u8() !== 0 || block.u8() !== CLIENT_UNFILTERED) return undefined;
  block.skip(8 + parameters.blockOffsetBytes);
  const addresses: (number | undefined)[] = [];
  for (let b = 0; b < info.dataBlocks; b++) addresses.push(block.address());
  return addresses;
}

function readDataBlock(read: IndexRead, parameters: ArrayParameters, info: SuperBlockInfo, address: number, wanted: number): (number | undefined)[] | undefined {
  if (info.dataBlockElements > parameters.pageElements) return undefined;
  const block = read.file.cursor(address, BLOCK_PREFIX_BYTES + parameters.blockOffsetBytes + 8 * wanted);
  if (block.ascii(4) !== "EADB" || block.u8() !== 0 || block.u8() !== CLIENT_UNFILTERED) return undefined;
  block.skip(8 + parameters.blockOffsetBytes);
  const values: (number | undefined)[] = [];
  for (let i = 0; i < wanted; i++) values.push(block.address());
  return values;
}
