/**
 * The records of a version-2 B-tree, any record type, as raw bytes: the name and creation-order indexes of dense
 * links (types 5, 6) and dense attributes (types 8, 9). Records come in the tree's order (in-order walk).
 */
import { treeShape } from "./chunk-btree-v2";
import { checksumHolds } from "./checksum";
import type { FileBytes } from "./file-bytes";

const HEADER_BYTES = 4 + 1 + 1 + 4 + 2 + 2 + 1 + 1 + 8 + 2 + 8;
const NODE_PREFIX_BYTES = 4 + 1 + 1;
const MAX_DEPTH = 32;

/**
 * Every record of the tree whose header is at absolute offset `headerAddress`, or undefined when it is not a
 * version-0 tree of record type `recordType`.
 */
export function readBtreeV2Records(options: { file: FileBytes; baseAddress: number; headerAddress: number; recordType: number }): Buffer[] | undefined {
  const { file, baseAddress, recordType } = options;
  const header = file.cursor(options.headerAddress, HEADER_BYTES);
  if (header.ascii(4) !== "BTHD" || header.u8() !== 0 || header.u8() !== recordType) return undefined;
  if (!checksumHolds(file, options.headerAddress, options.headerAddress + HEADER_BYTES)) return undefined;
  const nodeBytes = header.u32();
  const recordBytes = header.u16();
  const depth = header.u16();
  header.skip(2);
  const root = header.address();
  const rootRecords = header.u16();
  if (depth > MAX_DEPTH || recordBytes === 0) return undefined;
  if (root === undefined || rootRecords === 0) return [];
  const shape = treeShape(nodeBytes, recordBytes, depth);
  if (shape === undefined) return undefined;
  const records: Buffer[] = [];
  const visit = (address: number, count: number, level: number): boolean => {
    const leaf = level === 0;
    const pointerBytes = leaf ? 0 : 8 + shape.countBytes[level] + shape.totalBytes[level];
    const length = NODE_PREFIX_BYTES + count * recordBytes + (leaf ? 0 : (count + 1) * pointerBytes);
    const cursor = file.cursor(address, length);
    if (cursor.ascii(4) !== (leaf ? "BTLF" : "BTIN") || cursor.u8() !== 0 || cursor.u8() !== recordType) return false;
    if (!checksumHolds(file, address, address + length)) return false;
    const own = Array.from({ length: count }, () => cursor.bytes(recordBytes));
    if (leaf) {
      records.push(...own);
      return true;
    }
    const children: { address: number; count: number }[] = [];
    for (let c = 0; c <= count; c++) {
      const child = cursor.address();
      const records = cursor.uint(shape.countBytes[level]);
      cursor.skip(shape.totalBytes[level]);
      if (child === undefined) return false;
      children.push({ address: baseAddress + child, count: records });
    }
    for (let c = 0; c <= count; c++) {
      if (!visit(children[c].address, children[c].count, level - 1)) return false;
      if (c < count) records.push(own[c]);
    }
    return true;
  };
  return visit(baseAddress + root, rootRecords, depth) ? records : undefined;
}
