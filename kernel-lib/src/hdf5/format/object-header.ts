/**
 * HDF5 object headers (version 1 and version 2 "OHDR"), read into their list of messages, following continuation
 * blocks. Checksums are not verified: a damaged header shows up as messages that do not parse, and the caller
 * falls back to h5wasm.
 */
import { ByteCursor, type FileBytes } from "./file-bytes";
import { CHECKSUM_BYTES, checksumHolds } from "./checksum";

/** One header message: its type, flags and raw body. */
export interface HeaderMessage {
  readonly type: number;
  readonly flags: number;
  readonly body: Buffer;
  /** The message's creation order, stored in v2 headers that track attribute creation order. */
  readonly creationOrder?: number;
}

/** An object header: its version, its flags (v2; 0 for v1) and its messages. */
export interface ObjectHeader {
  readonly version: 1 | 2;
  readonly flags: number;
  readonly messages: HeaderMessage[];
}

/** v2 header flags: attribute creation order tracked / indexed. */
export const HEADER_ATTRIBUTE_ORDER_TRACKED = 0x04;
export const HEADER_ATTRIBUTE_ORDER_INDEXED = 0x08;

export const MESSAGE_NIL = 0x0000;
export const MESSAGE_DATASPACE = 0x0001;
export const MESSAGE_DATATYPE = 0x0003;
export const MESSAGE_FILL_VALUE_OLD = 0x0004;
export const MESSAGE_FILL_VALUE = 0x0005;
export const MESSAGE_EXTERNAL_FILES = 0x0007;
export const MESSAGE_LAYOUT = 0x0008;
export const MESSAGE_GROUP_INFO = 0x000a;
export const MESSAGE_FILTER_PIPELINE = 0x000b;
const MESSAGE_CONTINUATION = 0x0010;

/** Message flag: the body is a reference to a message stored elsewhere (shared message), not the message. */
export const MESSAGE_FLAG_SHARED = 0x02;

const V1_PREFIX_BYTES = 16; // 12 bytes of fields, padded to 8-byte alignment
const V1_MESSAGE_HEADER_BYTES = 8;
const V2_FLAG_SIZE_WIDTH = 0x03;
const V2_FLAG_CREATION_ORDER = 0x04;
const V2_FLAG_PHASE_CHANGE = 0x10;
const V2_FLAG_TIMES = 0x20;
/** Guards against a damaged file whose continuations loop or never end. */
const MAX_HEADER_BLOCKS = 4096;

interface Block {
  readonly address: number;
  readonly length: number;
  /** A v2 continuation block: framed by "OCHK" and a checksum. */
  readonly framed: boolean;
  /** Where the bytes a v2 checksum covers begin (the "OHDR" signature for the first block). */
  readonly checksumFrom?: number;
}

/** How one header version lays out its first block and its messages. */
interface HeaderFormat {
  readonly version: 1 | 2;
  readonly flags: number;
  readonly first: Block;
  /** v2 continuation blocks carry a signature and checksum; v1 ones are bare messages. */
  readonly continuationsFramed: boolean;
  readMessages(cursor: ByteCursor): HeaderMessage[];
}

/**
 * Every message of the object header at relative address `address`, from all of its blocks (continuation
 * messages themselves and NIL padding left out), or undefined when the bytes there are not an object header this
 * parser knows.
 */
export function readHeaderMessages(options: { file: FileBytes; baseAddress: number; address: number }): HeaderMessage[] | undefined {
  return readObjectHeader(options)?.messages;
}

/** The object header at relative address `address`, or undefined when the bytes there are not one. */
export function readObjectHeader(options: { file: FileBytes; baseAddress: number; address: number }): ObjectHeader | undefined {
  const { file, baseAddress } = options;
  const start = baseAddress + options.address;
  const probe = file.read(start, Math.min(4, file.size - start));
  const format = probe.toString("latin1") === "OHDR" ? version2Format(file, start) : probe[0] === 1 ? version1Format(file, start) : undefined;
  if (format === undefined) return undefined;
  const messages: HeaderMessage[] = [];
  const pending: Block[] = [format.first];
  let blocks = 0;
  for (let block = pending.shift(); block !== undefined; block = pending.shift()) {
    if (++blocks > MAX_HEADER_BLOCKS) return undefined;
    const cursor = blockCursor(file, block);
    if (cursor === undefined) return undefined;
    for (const message of format.readMessages(cursor)) {
      if (message.type === MESSAGE_CONTINUATION) {
        const next = continuationBlock(file, message, baseAddress, format.continuationsFramed);
        if (next === undefined) return undefined;
        pending.push(next);
      } else if (message.type !== MESSAGE_NIL) messages.push(message);
    }
  }
  return { version: format.version, flags: format.flags, messages };
}

function blockCursor(file: FileBytes, block: Block): ByteCursor | undefined {
  if (block.checksumFrom !== undefined && !checksumHolds(file, block.checksumFrom, block.address + block.length)) return undefined;
  if (!block.framed) return file.cursor(block.address, block.length);
  if (block.length < 4 + CHECKSUM_BYTES || file.read(block.address, 4).toString("latin1") !== "OCHK") return undefined;
  if (!checksumHolds(file, block.address, block.address + block.length - CHECKSUM_BYTES)) return undefined;
  return file.cursor(block.address + 4, block.length - 4 - CHECKSUM_BYTES);
}


function version1Format(file: FileBytes, start: number): HeaderFormat {
  const prefix = file.cursor(start, V1_PREFIX_BYTES);
  prefix.skip(8); // version, reserved, message count (the blocks are parsed whole instead), reference count
  const first = { address: start + V1_PREFIX_BYTES, length: prefix.u32(), framed: false };
  return {
    version: 1,
    flags: 0,
    first,
    continuationsFramed: false,
    readMessages(cursor) {
      const out: HeaderMessage[] = [];
      while (cursor.remaining >= V1_MESSAGE_HEADER_BYTES) {
        const type = cursor.u16();
        const size = cursor.u16();
        const flags = cursor.u8();
        cursor.skip(3);
        out.push({ type, flags, body: cursor.bytes(size) });
      }
      return out;
    },
  };
}

function version2Format(file: FileBytes, start: number): HeaderFormat | undefined {
  // Signature, version, flags, up to 16 bytes of times, 4 of phase change and 8 of chunk-0 size: 34 at most.
  const prefix = file.cursor(start, Math.min(34, file.size - start));
  prefix.skip(4);
  if (prefix.u8() !== 2) return undefined;
  const flags = prefix.u8();
  if ((flags & V2_FLAG_TIMES) !== 0) prefix.skip(16);
  if ((flags & V2_FLAG_PHASE_CHANGE) !== 0) prefix.skip(4);
  const firstLength = prefix.uint(1 << (flags & V2_FLAG_SIZE_WIDTH));
  const headerBytes = (flags & V2_FLAG_CREATION_ORDER) !== 0 ? 6 : 4;
  return {
    version: 2,
    flags,
    // The first block's messages are followed by its checksum, which the length leaves out.
    first: { address: start + prefix.offset, length: firstLength, framed: false, checksumFrom: start },
    continuationsFramed: true,
    readMessages(cursor) {
      const out: HeaderMessage[] = [];
      // Fewer bytes than a message header left at the end of a block are its gap, not a message.
      while (cursor.remaining >= headerBytes) {
        const type = cursor.u8();
        const size = cursor.u16();
        const flags = cursor.u8();
        const creationOrder = headerBytes > 4 ? cursor.u16() : undefined;
        out.push({ type, flags, body: cursor.bytes(size), creationOrder });
      }
      return out;
    },
  };
}

/** The block a continuation message points to; in a v2 header every continuation block is "OCHK"-framed. */
function continuationBlock(file: FileBytes, message: HeaderMessage, baseAddress: number, framed: boolean): Block | undefined {
  const cursor = new ByteCursor({ buffer: message.body, filePath: file.filePath });
  const address = cursor.address();
  const length = cursor.u64();
  return address === undefined ? undefined : { address: baseAddress + address, length, framed };
}
