/**
 * Attributes of an object: attribute messages in its header (compact) or in a fractal heap indexed by a
 * version-2 B-tree (dense, from the attribute info message).
 */
import { readBtreeV2Records } from "./btree-v2-records";
import { readDataspace, type Dataspace } from "./dataset-messages";
import { readDatatype, type Datatype } from "./datatype";
import { ByteCursor, type FileBytes } from "./file-bytes";
import { openFractalHeap } from "./fractal-heap";
import { unsupported } from "./unsupported";

export const MESSAGE_ATTRIBUTE = 0x000c;
export const MESSAGE_ATTRIBUTE_INFO = 0x0015;
const RECORD_ATTRIBUTE_NAME = 8;
const SHARED_DATATYPE = 0x01;
const SHARED_DATASPACE = 0x02;

/** One attribute: name bytes, type, space and raw data bytes as stored. */
export interface Attribute {
  readonly name: Buffer;
  readonly datatype: Datatype | undefined;
  readonly dataspace: Dataspace;
  readonly data: Buffer;
  readonly creationOrder: number | undefined;
}

/** An attribute message body; `creationOrder` comes from where the message is kept. */
export function readAttributeMessage(body: Buffer, filePath: string, creationOrder: number | undefined): Attribute {
  const c = new ByteCursor({ buffer: body, filePath });
  const version = c.u8();
  if (version < 1 || version > 3) unsupported("attribute message version");
  const flags = c.u8();
  if (version > 1 && (flags & (SHARED_DATATYPE | SHARED_DATASPACE)) !== 0) unsupported("shared attribute datatype or dataspace");
  const nameBytes = c.u16();
  const datatypeBytes = c.u16();
  const dataspaceBytes = c.u16();
  if (version === 3) c.u8(); // name character set
  const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
  const nameField = c.bytes(pad(nameBytes));
  const zero = nameField.indexOf(0);
  const name = nameField.subarray(0, zero >= 0 && zero < nameBytes ? zero : nameBytes);
  const datatypeField = c.bytes(pad(datatypeBytes));
  const dataspaceField = c.bytes(pad(dataspaceBytes));
  const datatype = readDatatype(new ByteCursor({ buffer: datatypeField, filePath }));
  const dataspace = readDataspace(new ByteCursor({ buffer: dataspaceField, filePath }));
  if (dataspace === undefined) unsupported("attribute dataspace");
  return { name, datatype, dataspace, data: c.bytes(c.remaining), creationOrder };
}

/** Where dense attributes live (attribute info message), or undefined heap when they are compact. */
export interface AttributeInfo {
  readonly heapAddress: number | undefined;
  readonly nameIndexAddress: number | undefined;
}

export function readAttributeInfo(body: Buffer, filePath: string): AttributeInfo {
  const c = new ByteCursor({ buffer: body, filePath });
  if (c.u8() !== 0) unsupported("attribute info message version");
  const flags = c.u8();
  if ((flags & 0x01) !== 0) c.skip(2);
  return { heapAddress: c.address(), nameIndexAddress: c.address() };
}

/** Dense attributes: each name-index record gives a heap ID, the message flags and the creation order. */
export function readDenseAttributes(options: { file: FileBytes; baseAddress: number; info: AttributeInfo }): Attribute[] {
  const { file, baseAddress, info } = options;
  if (info.heapAddress === undefined || info.nameIndexAddress === undefined) unsupported("dense attributes without heap or index");
  const heap = openFractalHeap({ file, baseAddress, address: baseAddress + info.heapAddress });
  if (heap === undefined) unsupported("fractal heap of attributes");
  const records = readBtreeV2Records({ file, baseAddress, headerAddress: baseAddress + info.nameIndexAddress, recordType: RECORD_ATTRIBUTE_NAME });
  if (records === undefined) unsupported("attribute name index");
  return records.map((record) => {
    if (record.length < 17) unsupported("attribute name record");
    const messageFlags = record[8];
    if ((messageFlags & 0x02) !== 0) unsupported("shared attribute message");
    const body = heap.object(record.subarray(0, 8));
    if (body === undefined) unsupported("attribute heap object");
    return readAttributeMessage(body, file.filePath, record.readUInt32LE(9));
  });
}
