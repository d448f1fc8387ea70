/**
 * The links of a group, in any of the three ways HDF5 stores them: link messages in the group's header
 * (compact), link messages in a fractal heap indexed by a version-2 B-tree (dense, from the link info message),
 * or the old symbol table (version-1 B-tree of "SNOD" nodes naming entries in a local heap).
 */
import { readBtreeV2Records } from "./btree-v2-records";
import { ByteCursor, type FileBytes } from "./file-bytes";
import { openFractalHeap } from "./fractal-heap";
import { unsupported } from "./unsupported";

export const MESSAGE_LINK_INFO = 0x0002;
export const MESSAGE_LINK = 0x0006;
export const MESSAGE_SYMBOL_TABLE = 0x0011;

export const LINK_HARD = 0;
const LINK_INFO_ORDER_TRACKED = 0x01;
const LINK_INFO_ORDER_INDEXED = 0x02;
const RECORD_LINK_NAME = 5;

/** One link: its name as stored (UTF-8 or ASCII bytes), its type, and for a hard link the object's address. */
export interface Link {
  readonly name: Buffer;
  readonly type: number;
  /** Object header address, relative to the base address (hard links only). */
  readonly address: number | undefined;
  readonly creationOrder: number | undefined;
}

/** A link message body. */
export function readLinkMessage(body: Buffer, filePath: string): Link {
  const c = new ByteCursor({ buffer: body, filePath });
  if (c.u8() !== 1) unsupported("link message version");
  const flags = c.u8();
  const type = (flags & 0x08) !== 0 ? c.u8() : LINK_HARD;
  const creationOrder = (flags & 0x04) !== 0 ? c.u64() : undefined;
  if ((flags & 0x10) !== 0) c.u8(); // character set of the name: names are compared and decoded as bytes either way
  const name = c.bytes(c.uint(1 << (flags & 0x03)));
  const address = type === LINK_HARD ? c.address() : undefined;
  if (type === LINK_HARD && address === undefined) unsupported("hard link to an undefined address");
  return { name, type, address, creationOrder };
}

/** What a link info message says: whether creation order is indexed, and where dense links live. */
export interface LinkInfo {
  readonly orderIndexed: boolean;
  readonly heapAddress: number | undefined;
  readonly nameIndexAddress: number | undefined;
}

export function readLinkInfo(body: Buffer, filePath: string): LinkInfo {
  const c = new ByteCursor({ buffer: body, filePath });
  if (c.u8() !== 0) unsupported("link info message version");
  const flags = c.u8();
  if ((flags & LINK_INFO_ORDER_TRACKED) !== 0) c.skip(8);
  return { orderIndexed: (flags & LINK_INFO_ORDER_INDEXED) !== 0, heapAddress: c.address(), nameIndexAddress: c.address() };
}

/** The links of dense storage: every record of the name index, each a link message in the heap. */
export function readDenseLinks(options: { file: FileBytes; baseAddress: number; info: LinkInfo }): Link[] {
  const { file, baseAddress, info } = options;
  if (info.heapAddress === undefined || info.nameIndexAddress === undefined) unsupported("dense links without heap or index");
  const heap = openFractalHeap({ file, baseAddress, address: baseAddress + info.heapAddress });
  if (heap === undefined) unsupported("fractal heap of links");
  const records = readBtreeV2Records({ file, baseAddress, headerAddress: baseAddress + info.nameIndexAddress, recordType: RECORD_LINK_NAME });
  if (records === undefined) unsupported("link name index");
  return records.map((record) => {
    const body = heap.object(record.subarray(4)); // after the name's hash
    if (body === undefined) unsupported("link heap object");
    return readLinkMessage(body, file.filePath);
  });
}

const SYMBOL_ENTRY_BYTES = 40;
const CACHE_SOFT_LINK = 2;
const MAX_BTREE_LEVEL = 64;

/** The links of an old-style group (symbol table message: version-1 B-tree address, local heap address). */
export function readSymbolTableLinks(options: { file: FileBytes; baseAddress: number; body: Buffer }): Link[] {
  const { file, baseAddress } = options;
  const message = new ByteCursor({ buffer: options.body, filePath: file.filePath });
  const treeAddress = message.address();
  const heapAddress = message.address();
  if (treeAddress === undefined || heapAddress === undefined) unsupported("symbol table addresses");
  const heap = file.cursor(baseAddress + heapAddress, 32);
  if (heap.ascii(4) !== "HEAP" || heap.u8() !== 0) unsupported("local heap");
  heap.skip(3);
  const dataBytes = heap.u64();
  heap.skip(8);
  const dataAddress = heap.address();
  if (dataAddress === undefined) unsupported("local heap data");
  const names = file.read(baseAddress + dataAddress, dataBytes);
  const nameAt = (offset: number): Buffer => {
    const end = names.indexOf(0, offset);
    if (offset >= names.length || end < 0) unsupported("local heap name");
    return names.subarray(offset, end);
  };

  const links: Link[] = [];
  const visit = (address: number, expectedLevel: number | undefined): void => {
    const prefix = file.cursor(baseAddress + address, 24);
    if (prefix.ascii(4) !== "TREE" || prefix.u8() !== 0) unsupported("group B-tree node");
    const level = prefix.u8();
    const entries = prefix.u16();
    if (level > MAX_BTREE_LEVEL || (expectedLevel !== undefined && level !== expectedLevel)) unsupported("group B-tree level");
    const body = file.cursor(baseAddress + address + 24, entries * 16 + 8);
    for (let i = 0; i < entries; i++) {
      body.skip(8); // key: the heap offset of the largest name below
      const child = body.address();
      if (child === undefined) unsupported("group B-tree child");
      if (level > 0) visit(child, level - 1);
      else readSymbolNode(child);
    }
  };
  const readSymbolNode = (address: number): void => {
    const head = file.cursor(baseAddress + address, 8);
    if (head.ascii(4) !== "SNOD" || head.u8() !== 1) unsupported("symbol table node");
    head.skip(1);
    const count = head.u16();
    const entries = file.cursor(baseAddress + address + 8, count * SYMBOL_ENTRY_BYTES);
    for (let i = 0; i < count; i++) {
      const name = nameAt(entries.u64());
      const objectAddress = entries.address();
      const cacheType = entries.u32();
      entries.skip(4 + 16);
      if (cacheType === CACHE_SOFT_LINK) links.push({ name, type: 1, address: undefined, creationOrder: undefined });
      else links.push({ name, type: LINK_HARD, address: objectAddress, creationOrder: undefined });
    }
  };
  visit(treeAddress, undefined);
  return links;
}
