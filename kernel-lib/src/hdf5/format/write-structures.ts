/**
 * The HDF5 structures the native writer (`native-writer.ts`) emits, byte for byte as h5wasm's HDF5 writes them for a
 * session (superblock version 2, version-2 object headers, compact links and attributes, contiguous storage,
 * variable-length UTF-8 strings in global heap collections), so that a file reads the same whichever wrote it.
 * Each encoder returns exactly the bytes of one structure; addresses are absolute (the base address is 0).
 *
 * @internal
 */
import type { Dtype } from "../codec";
import { lookup3 } from "./checksum";
import { MESSAGE_ATTRIBUTE, MESSAGE_ATTRIBUTE_INFO } from "./attributes";
import { MESSAGE_LINK, MESSAGE_LINK_INFO } from "./links";
import { HEADER_ATTRIBUTE_ORDER_INDEXED, HEADER_ATTRIBUTE_ORDER_TRACKED, MESSAGE_DATASPACE, MESSAGE_DATATYPE, MESSAGE_FILL_VALUE, MESSAGE_GROUP_INFO, MESSAGE_LAYOUT } from "./object-header";
import { SIGNATURE } from "./superblock";

const UNDEFINED_ADDRESS = Buffer.alloc(8, 0xff);
export const SUPERBLOCK_BYTES = 48;

/** Bytes of one variable-length string element: length, collection address, object index. */
export const VLEN_REFERENCE_BYTES = 16;


/** Message flags as HDF5 sets them: datatype, fill value and group info are constant; attribute info is unshareable. */
const FLAG_CONSTANT = 0x01;
const FLAG_NOT_SHAREABLE = 0x04;

/** v2 header flags: attribute creation order tracked and indexed (groups, as h5wasm's `track_order` makes them). */
const HEADER_ORDER_TRACKED_INDEXED = HEADER_ATTRIBUTE_ORDER_TRACKED | HEADER_ATTRIBUTE_ORDER_INDEXED;
/** A body of a message must fit its 16-bit size field. */
export const MAX_MESSAGE_BYTES = 0xffff;

/** A header message before it is framed. */
export interface Message {
  readonly type: number;
  readonly flags: number;
  readonly body: Buffer;
}

/** Little-endian field writer over a fixed-size buffer. */
class Fields {
  readonly buffer: Buffer;
  private at = 0;

  constructor(bytes: number) {
    this.buffer = Buffer.alloc(bytes);
  }

  u8(value: number): this {
    this.buffer.writeUInt8(value, this.at);
    this.at += 1;
    return this;
  }

  u16(value: number): this {
    this.buffer.writeUInt16LE(value, this.at);
    this.at += 2;
    return this;
  }

  u32(value: number): this {
    this.buffer.writeUInt32LE(value, this.at);
    this.at += 4;
    return this;
  }

  u64(value: number): this {
    this.buffer.writeUInt32LE(value % 2 ** 32, this.at);
    this.buffer.writeUInt32LE(Math.floor(value / 2 ** 32), this.at + 4);
    this.at += 8;
    return this;
  }

  address(value: number | undefined): this {
    if (value === undefined) {
      UNDEFINED_ADDRESS.copy(this.buffer, this.at);
      this.at += 8;
      return this;
    }
    return this.u64(value);
  }

  bytes(value: Uint8Array): this {
    this.buffer.set(value, this.at);
    this.at += value.length;
    return this;
  }

  done(): Buffer {
    if (this.at !== this.buffer.length) throw new Error(`structure encoded ${this.at} of ${this.buffer.length} bytes`);
    return this.buffer;
  }
}

/** Superblock version 2: 8-byte offsets and lengths, base address 0, no extension. */
export function superblock(rootAddress: number, endOfFile: number): Buffer {
  const fields = new Fields(SUPERBLOCK_BYTES).bytes(SIGNATURE).u8(2).u8(8).u8(8).u8(0);
  fields.u64(0).address(undefined).u64(endOfFile).u64(rootAddress);
  const out = fields.buffer;
  out.writeUInt32LE(lookup3(out.subarray(0, SUPERBLOCK_BYTES - 4)), SUPERBLOCK_BYTES - 4);
  return out;
}

/** Bytes of a version-2 object header ("OHDR") holding `messages` in one block. */
export function objectHeaderBytes(messages: readonly Message[], group: boolean): number {
  const messageBytes = messagesBytes(messages, group);
  return 6 + sizeFieldBytes(messageBytes) + messageBytes + 4;
}

/** A version-2 object header holding `messages` in one block, with its checksum. Groups track attribute order. */
export function objectHeader(messages: readonly Message[], group: boolean): Buffer {
  const messageBytes = messagesBytes(messages, group);
  const width = sizeFieldBytes(messageBytes);
  const fields = new Fields(6 + width + messageBytes + 4).bytes(Buffer.from("OHDR", "latin1")).u8(2);
  fields.u8((group ? HEADER_ORDER_TRACKED_INDEXED : 0) | Math.log2(width));
  if (width === 1) fields.u8(messageBytes);
  else if (width === 2) fields.u16(messageBytes);
  else if (width === 4) fields.u32(messageBytes);
  else fields.u64(messageBytes);
  let attributeOrder = 0;
  for (const message of messages) {
    fields.u8(message.type).u16(message.body.length).u8(message.flags);
    // With attribute order tracked every message carries the field; only attributes number it.
    if (group) fields.u16(message.type === MESSAGE_ATTRIBUTE ? attributeOrder++ : 0);
    fields.bytes(message.body);
  }
  const out = fields.buffer;
  out.writeUInt32LE(lookup3(out.subarray(0, out.length - 4)), out.length - 4);
  return out;
}

function messagesBytes(messages: readonly Message[], group: boolean): number {
  const headerBytes = group ? 6 : 4;
  return messages.reduce((sum, message) => sum + headerBytes + message.body.length, 0);
}

function sizeFieldBytes(messageBytes: number): 1 | 2 | 4 | 8 {
  if (messageBytes <= 0xff) return 1;
  if (messageBytes <= 0xffff) return 2;
  return messageBytes <= 0xffffffff ? 4 : 8;
}

/** Datatype message bodies of the codec's dtypes (h5wasm's: little-endian IEEE floats, variable-length UTF-8). */
const DATATYPES: Readonly<Record<Dtype, Buffer>> = {
  int8: integerType(1, true),
  uint8: integerType(1, false),
  int16: integerType(2, true),
  uint16: integerType(2, false),
  int32: integerType(4, true),
  uint32: integerType(4, false),
  int64: integerType(8, true),
  uint64: integerType(8, false),
  float32: floatType(4),
  float64: floatType(8),
  // Class 9 (variable length) version 1, a string, space padding (as h5wasm), UTF-8, of 1-byte unsigned integers.
  string: Buffer.concat([Buffer.from([0x19, 0x21, 0x01, 0x00, 16, 0, 0, 0]), integerType(1, false)]),
};

function integerType(size: number, signed: boolean): Buffer {
  return new Fields(12).u8(0x10).u8(signed ? 0x08 : 0).u8(0).u8(0).u32(size).u16(0).u16(size * 8).done();
}

function floatType(size: 4 | 8): Buffer {
  const [signLocation, exponentLocation, exponentBits, mantissaBits, bias] = size === 4 ? [31, 23, 8, 23, 127] : [63, 52, 11, 52, 1023];
  const fields = new Fields(20).u8(0x11).u8(0x20).u8(signLocation).u8(0).u32(size);
  return fields.u16(0).u16(size * 8).u8(exponentLocation).u8(exponentBits).u8(0).u8(mantissaBits).u32(bias).done();
}

export function datatypeBody(dtype: Dtype): Buffer {
  return DATATYPES[dtype];
}

/** Dataspace message version 2: scalar for shape `[]`, else simple with maximum dimensions equal to the dimensions. */
export function dataspaceBody(shape: readonly number[]): Buffer {
  if (shape.length === 0) return Buffer.from([2, 0, 0, 0]);
  const fields = new Fields(4 + 16 * shape.length).u8(2).u8(shape.length).u8(1).u8(1);
  for (const size of shape) fields.u64(size);
  for (const size of shape) fields.u64(size);
  return fields.done();
}

/** The messages of a dataset's header (its attributes are added by the caller). */
export function datasetMessages(options: { dtype: Dtype; shape: readonly number[]; address: number | undefined; bytes: number }): Message[] {
  const { dtype, shape, address, bytes } = options;
  // Fill value message version 3: space allocated late; numbers write the fill value "if set", strings "on allocation".
  const fill = Buffer.from([3, dtype === "string" ? 0x02 : 0x0a]);
  const layout = new Fields(18).u8(3).u8(1).address(address).u64(bytes).done();
  return [
    { type: MESSAGE_DATASPACE, flags: 0, body: dataspaceBody(shape) },
    { type: MESSAGE_DATATYPE, flags: FLAG_CONSTANT, body: datatypeBody(dtype) },
    { type: MESSAGE_FILL_VALUE, flags: FLAG_CONSTANT, body: fill },
    { type: MESSAGE_LAYOUT, flags: 0, body: layout },
  ];
}

/**
 * The messages of a group's header: link info and group info (creation order tracked and indexed, compact links),
 * then its attributes, then one link message per member in creation order. A group with more members than
 * HDF5's default eight records its own phase change, so that compact storage is what its info says.
 */
export function groupMessages(options: { links: readonly { name: string; address: number }[]; attributes: readonly Message[] }): Message[] {
  const { links, attributes } = options;
  const linkInfo = new Fields(34).u8(0).u8(0x03).u64(links.length).address(undefined).address(undefined).address(undefined).done();
  const phaseChange = links.length > 8 && links.length <= 0xffff;
  const groupInfo = phaseChange ? new Fields(6).u8(0).u8(0x01).u16(links.length).u16(6).done() : Buffer.from([0, 0]);
  const messages: Message[] = [
    { type: MESSAGE_LINK_INFO, flags: 0, body: linkInfo },
    { type: MESSAGE_GROUP_INFO, flags: FLAG_CONSTANT, body: groupInfo },
  ];
  if (attributes.length > 0) messages.push(attributeInfo(attributes.length, true), ...attributes);
  links.forEach((link, order) => messages.push({ type: MESSAGE_LINK, flags: 0, body: linkBody(link.name, link.address, order) }));
  return messages;
}

/** The attribute info message an object with attributes carries (compact: no heap, no indexes). */
export function attributeInfo(count: number, ordered: boolean): Message {
  const body = ordered
    ? new Fields(28).u8(0).u8(0x03).u16(count).address(undefined).address(undefined).address(undefined).done()
    : new Fields(18).u8(0).u8(0).address(undefined).address(undefined).done();
  return { type: MESSAGE_ATTRIBUTE_INFO, flags: FLAG_NOT_SHAREABLE, body };
}

function linkBody(name: string, address: number, order: number): Buffer {
  const nameBytes = Buffer.from(name, "utf8");
  const ascii = nameBytes.length === name.length && /^[\x00-\x7f]*$/.test(name);
  const lengthWidth = nameBytes.length <= 0xff ? 1 : nameBytes.length <= 0xffff ? 2 : 4;
  const flags = Math.log2(lengthWidth) | 0x04 | (ascii ? 0 : 0x10);
  const fields = new Fields(2 + 8 + (ascii ? 0 : 1) + lengthWidth + nameBytes.length + 8).u8(1).u8(flags).u64(order);
  if (!ascii) fields.u8(1);
  if (lengthWidth === 1) fields.u8(nameBytes.length);
  else if (lengthWidth === 2) fields.u16(nameBytes.length);
  else fields.u32(nameBytes.length);
  return fields.bytes(nameBytes).u64(address).done();
}

/** An attribute message (version 3) with its value's bytes already encoded. */
export function attributeMessage(options: { name: string; dtype: Dtype; shape: readonly number[]; data: Uint8Array }): Message {
  const name = Buffer.from(`${options.name}\0`, "utf8");
  const datatype = datatypeBody(options.dtype);
  const dataspace = dataspaceBody(options.shape);
  const ascii = name.length === options.name.length + 1 && /^[\x00-\x7f]*$/.test(options.name);
  const fields = new Fields(9 + name.length + datatype.length + dataspace.length + options.data.length).u8(3).u8(0);
  fields.u16(name.length).u16(datatype.length).u16(dataspace.length).u8(ascii ? 0 : 1);
  return { type: MESSAGE_ATTRIBUTE, flags: 0, body: fields.bytes(name).bytes(datatype).bytes(dataspace).bytes(options.data).done() };
}

/** The 16 bytes that point a variable-length string element at its global heap object. */
export function vlenReference(bytes: number, collection: number, index: number): Buffer {
  return new Fields(VLEN_REFERENCE_BYTES).u32(bytes).u64(collection).u32(index).done();
}

const COLLECTION_HEADER_BYTES = 16;
const HEAP_OBJECT_HEADER_BYTES = 16;
/** HDF5 reads a collection's first 4096 bytes before its size: no collection is smaller. */
export const MIN_COLLECTION_BYTES = 4096;
/** Object indexes are 16-bit, 0 being the free space. */
export const MAX_COLLECTION_OBJECTS = 0xffff;

/** Bytes one object of `length` bytes takes in a collection. */
export function heapObjectBytes(length: number): number {
  return HEAP_OBJECT_HEADER_BYTES + Math.ceil(length / 8) * 8;
}

/** Bytes of a collection holding objects of `objectBytes` bytes in all (per `heapObjectBytes`). */
export function collectionBytes(objectBytes: number): number {
  const needed = COLLECTION_HEADER_BYTES + objectBytes + HEAP_OBJECT_HEADER_BYTES;
  return Math.max(MIN_COLLECTION_BYTES, Math.ceil(needed / 8) * 8);
}

/** A global heap collection ("GCOL") holding `objects` as objects 1, 2, …, then its free space. */
export function globalHeapCollection(objects: readonly Uint8Array[], size: number): Buffer {
  const fields = new Fields(size).bytes(Buffer.from("GCOL", "latin1")).u8(1).u8(0).u8(0).u8(0).u64(size);
  let used = COLLECTION_HEADER_BYTES;
  objects.forEach((object, i) => {
    fields.u16(i + 1).u16(0).u32(0).u64(object.length).bytes(object);
    const padding = Math.ceil(object.length / 8) * 8 - object.length;
    if (padding > 0) fields.bytes(Buffer.alloc(padding));
    used += heapObjectBytes(object.length);
  });
  // The free space is object 0, its size counting its own header.
  const free = size - used;
  fields.u16(0).u16(0).u32(0).u64(free).bytes(Buffer.alloc(free - HEAP_OBJECT_HEADER_BYTES));
  return fields.done();
}
