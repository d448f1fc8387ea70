/**
 * Writes a session's tree as an HDF5 file by laying out the structures ourselves (`format/write-structures.ts`)
 * instead of through h5wasm: the same groups, datasets, attributes, types and member order h5wasm writes, but the
 * metadata is built in JavaScript in one pass (h5wasm spends ~0.7 ms of WebAssembly HDF5 per unit on it) and each
 * array goes from its own memory to the file in one write (in the thread pool, while the integrity record's
 * checksums are computed), without a copy into the WebAssembly heap; sample indices are converted to int64/uint64
 * through one small buffer as they are written.
 *
 *   build (TreeWriter calls, noted by the integrity recorder) → lay out → write: superblock, data, metadata
 *
 * Layout: superblock | every dataset's values (8-byte aligned, in tree order) | global heap collections (strings)
 * | string datasets' references | object headers. Links and attributes are compact; groups track and index the
 * creation order of members and attributes (h5wasm's `track_order`), datasets do not.
 *
 * What it does not write (an attribute too large for a header message) throws `NativeWriteUnsupported` while the
 * tree is built, before anything is written, and the caller writes the file through h5wasm instead.
 *
 * @internal
 */
import * as fs from "fs";
import { WholeNumbers, type Encoded } from "./codec";
import type { DigestRecorder } from "./integrity";
import { HDMEA_TYPE_ATTRIBUTE } from "./schema";
import type { TreeWriter } from "./tree";
import {
  attributeInfo,
  attributeMessage,
  collectionBytes,
  dataspaceBody,
  datasetMessages,
  datatypeBody,
  globalHeapCollection,
  groupMessages,
  heapObjectBytes,
  MAX_COLLECTION_OBJECTS,
  MAX_MESSAGE_BYTES,
  objectHeader,
  objectHeaderBytes,
  superblock,
  SUPERBLOCK_BYTES,
  VLEN_REFERENCE_BYTES,
  vlenReference,
  type Message,
} from "./format/write-structures";

/** Something the native writer does not write; the caller writes the file through h5wasm. */
export class NativeWriteUnsupported extends Error {}

interface Attribute {
  readonly name: string;
  readonly encoded: Encoded;
}

interface GroupNode {
  readonly kind: "group";
  readonly path: string;
  readonly attributes: Attribute[];
  readonly members: Map<string, GroupNode | DatasetNode>;
}

interface DatasetNode {
  readonly kind: "dataset";
  readonly path: string;
  readonly attributes: Attribute[];
  readonly encoded: Encoded;
}

export type NativeNode = GroupNode | DatasetNode;

/** Whole numbers are converted and written in pieces of this size. */
const WHOLE_NUMBERS_PIECE_BYTES = 256 * 1024;
/** Collections are filled up to about this size (a larger string gets a collection of its own size). */
const COLLECTION_TARGET_BYTES = 64 * 1024;

/** A session file being built in memory, then written by `writeTo`. */
export class NativeFileBuilder implements TreeWriter<NativeNode> {
  readonly root: GroupNode = { kind: "group", path: "/", attributes: [], members: new Map() };

  constructor(private readonly recorder?: DigestRecorder) {}

  group(parent: NativeNode, name: string): NativeNode {
    const node: GroupNode = { kind: "group", path: childPath(parent, name), attributes: [], members: new Map() };
    this.add(parent, name, node);
    this.recorder?.group(node.path);
    return node;
  }

  dataset(parent: NativeNode, name: string, encoded: Encoded): void {
    this.datasetUnrecorded(parent, name, encoded);
    this.recorder?.dataset(childPath(parent, name), encoded);
  }

  /** A dataset the integrity record does not list (the record itself). */
  datasetUnrecorded(parent: NativeNode, name: string, encoded: Encoded): void {
    const node: DatasetNode = { kind: "dataset", path: childPath(parent, name), attributes: [], encoded };
    if (encoded.hdmeaType !== undefined) node.attributes.push({ name: HDMEA_TYPE_ATTRIBUTE, encoded: { dtype: "string", shape: [], data: [encoded.hdmeaType] } });
    this.add(parent, name, node);
  }

  datasetNode(parent: NativeNode, name: string): NativeNode {
    const node = parent.kind === "group" ? parent.members.get(name) : undefined;
    if (node?.kind !== "dataset") throw new Error(`no dataset ${name} in ${parent.path}`);
    return node;
  }

  attribute(target: NativeNode, name: string, encoded: Encoded): void {
    if (attributeMessageBytes(name, encoded) > MAX_MESSAGE_BYTES) {
      throw new NativeWriteUnsupported(`attribute ${target.path}@${name} is too large for a header message`);
    }
    // HDF5 replaces an attribute written twice under one name; so does the record.
    const at = target.attributes.findIndex((attribute) => attribute.name === name);
    if (at >= 0) target.attributes.splice(at, 1);
    target.attributes.push({ name, encoded });
    this.recorder?.attribute(target.path, name, encoded);
  }

  /** Group `path` (absolute, e.g. "/pipeline/session_info"), which must exist. */
  groupAt(path: string): NativeNode {
    let node: NativeNode = this.root;
    for (const name of path.split("/").filter((part) => part !== "")) {
      const next: NativeNode | undefined = node.kind === "group" ? node.members.get(name) : undefined;
      if (next === undefined) throw new Error(`no group ${path}`);
      node = next;
    }
    return node;
  }

  /**
   * Writes the file to `filePath` (a new file): the values go to the file in the background (the thread pool)
   * while `beforeMetadata` runs (the integrity record's checksums), then the metadata it may add is laid out and
   * written after them.
   */
  async writeTo(filePath: string, beforeMetadata: () => void = () => undefined): Promise<void> {
    const data = planData(this.root);
    const fd = fs.openSync(filePath, "w");
    try {
      // Every write is waited for, failed or not: none may still be running when the descriptor is closed (its
      // number could be another file's by then).
      const values = Promise.allSettled(data.arrays.map(({ address, bytes }) => writeInBackground(fd, bytes, address)));
      let metadata: MetadataLayout;
      try {
        // Meanwhile, whole numbers are converted and written here through one small buffer (noting their CRC).
        const scratch = new Uint32Array(WHOLE_NUMBERS_PIECE_BYTES / 4);
        for (const { address, values: numbers } of data.wholeNumbers) {
          let at = address;
          numbers.eachPiece(scratch, (bytes) => {
            writeAll(fd, bytes, at);
            at += bytes.length;
          });
        }
        beforeMetadata();
        metadata = new MetadataLayout(this.root, data);
      } finally {
        const failed = (await values).find((result): result is PromiseRejectedResult => result.status === "rejected");
        if (failed !== undefined) throw failed.reason;
      }
      writeAll(fd, metadata.bytes, data.end);
      writeAll(fd, superblock(metadata.rootAddress, metadata.endOfFile), 0);
    } finally {
      fs.closeSync(fd);
    }
  }

  private add(parent: NativeNode, name: string, node: NativeNode): void {
    if (parent.kind !== "group") throw new Error(`${parent.path} is not a group`);
    // HDF5 refuses a second link of one name; the writers above never make one.
    if (parent.members.has(name)) throw new Error(`${node.path} written twice`);
    parent.members.set(name, node);
  }
}

function childPath(parent: NativeNode, name: string): string {
  return `${parent.path === "/" ? "" : parent.path}/${name}`;
}

function writeAll(fd: number, bytes: Uint8Array, address: number): void {
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done, address + done);
}

function writeInBackground(fd: number, bytes: Uint8Array, address: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const next = (done: number) => {
      if (done === bytes.length) return resolve();
      fs.write(fd, bytes, done, bytes.length - done, address + done, (error, written) => (error ? reject(error) : next(done + written)));
    };
    next(0);
  });
}

/** Bytes of the attribute message `attributeMessage` would make (its values not yet encoded). */
function attributeMessageBytes(name: string, encoded: Encoded): number {
  const count = encoded.shape.reduce((product, size) => product * size, 1);
  const data = encoded.dtype === "string" ? count * VLEN_REFERENCE_BYTES : valuesBytes(encoded);
  return 9 + Buffer.byteLength(name, "utf8") + 1 + datatypeBody(encoded.dtype).length + dataspaceBody(encoded.shape).length + data;
}

function align8(value: number): number {
  return Math.ceil(value / 8) * 8;
}

function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A string as HDF5 stores a variable-length one: UTF-8, up to its first NUL (HDF5 takes its C length). */
function stringBytes(text: string): Buffer {
  const utf8 = Buffer.from(text, "utf8");
  const end = utf8.indexOf(0);
  return end >= 0 ? utf8.subarray(0, end) : utf8;
}

/**
 * Where each dataset's values go: after the superblock, 8-byte aligned, in tree order. Typed arrays are written from
 * their own memory (`arrays`); whole numbers held as float64 are converted as they are written (`wholeNumbers`).
 */
interface DataLayout {
  readonly arrays: { address: number; bytes: Uint8Array }[];
  readonly wholeNumbers: { address: number; values: WholeNumbers }[];
  readonly address: Map<DatasetNode, number>;
  /** Where the metadata starts. */
  readonly end: number;
}

function planData(root: GroupNode): DataLayout {
  const layout: DataLayout = { arrays: [], wholeNumbers: [], address: new Map(), end: SUPERBLOCK_BYTES };
  let end = SUPERBLOCK_BYTES;
  for (const node of allNodes(root)) {
    if (node.kind !== "dataset" || node.encoded.dtype === "string") continue;
    const data = node.encoded.data;
    const byteLength = valuesBytes(node.encoded);
    if (byteLength === 0) continue;
    end = align8(end);
    layout.address.set(node, end);
    if (data instanceof WholeNumbers) layout.wholeNumbers.push({ address: end, values: data });
    else layout.arrays.push({ address: end, bytes: bytesOf(data as ArrayBufferView) });
    end += byteLength;
  }
  return { ...layout, end: align8(end) };
}

/** Bytes of a numeric dataset's values as stored. */
function valuesBytes(encoded: Encoded): number {
  return encoded.data instanceof WholeNumbers ? encoded.data.byteLength : (encoded.data as ArrayBufferView).byteLength;
}

/** The metadata after the values: global heap collections, string datasets' references, object headers. */
class MetadataLayout {
  readonly bytes: Buffer;
  readonly rootAddress: number;
  readonly endOfFile: number;

  private readonly strings: Buffer[] = [];
  /** Per string: its collection's address and index, once the collections are placed. */
  private stringPlaces: { collection: number; index: number }[] = [];

  constructor(root: GroupNode, data: DataLayout) {
    const nodes = allNodes(root);

    // Strings: every string value, in tree order, one heap object each.
    const stringIndex = new Map<Encoded, number>();
    const noteStrings = (encoded: Encoded) => {
      if (encoded.dtype !== "string") return;
      stringIndex.set(encoded, this.strings.length);
      for (const text of encoded.data as readonly string[]) this.strings.push(stringBytes(text));
    };
    for (const node of nodes) {
      for (const attribute of node.attributes) noteStrings(attribute.encoded);
      if (node.kind === "dataset") noteStrings(node.encoded);
    }
    const heaps = this.placeCollections(data.end);
    let at = heaps.end;

    // String datasets' references, then the object headers (sizes first: links need their members' addresses).
    const referenceParts: Buffer[] = [];
    const stringDataAddress = new Map<DatasetNode, number>();
    for (const node of nodes) {
      if (node.kind !== "dataset" || node.encoded.dtype !== "string") continue;
      const references = this.references(node.encoded, stringIndex);
      if (references.length === 0) continue;
      stringDataAddress.set(node, at);
      referenceParts.push(references);
      at += references.length;
    }
    const referencesPadding = Buffer.alloc(align8(at) - at);
    at = align8(at);

    const ownMessages = new Map<NativeNode, Message[]>();
    for (const node of nodes) {
      const attributes = node.attributes.map((attribute) => this.attributeMessage(attribute, stringIndex));
      if (node.kind === "dataset") {
        const isString = node.encoded.dtype === "string";
        const address = isString ? stringDataAddress.get(node) : data.address.get(node);
        const bytes = isString ? (node.encoded.data as readonly string[]).length * VLEN_REFERENCE_BYTES : valuesBytes(node.encoded);
        const messages = datasetMessages({ dtype: node.encoded.dtype, shape: node.encoded.shape, address, bytes });
        if (attributes.length > 0) messages.push(attributeInfo(attributes.length, false), ...attributes);
        ownMessages.set(node, messages);
      } else {
        ownMessages.set(node, attributes);
      }
    }
    // A group's header size depends on its members' names only (addresses are 8 bytes): sized with placeholders.
    const headerAddress = new Map<NativeNode, number>();
    const messagesOf = (node: NativeNode): Message[] =>
      node.kind === "dataset"
        ? (ownMessages.get(node) as Message[])
        : groupMessages({
            links: [...node.members].map(([name, member]) => ({ name, address: headerAddress.get(member) ?? 0 })),
            attributes: ownMessages.get(node) as Message[],
          });
    for (const node of nodes) {
      headerAddress.set(node, at);
      at += objectHeaderBytes(messagesOf(node), node.kind === "group");
    }
    const headers = nodes.map((node) => objectHeader(messagesOf(node), node.kind === "group"));

    this.rootAddress = headerAddress.get(root) as number;
    this.endOfFile = at;
    this.bytes = Buffer.concat([...heaps.parts, ...referenceParts, referencesPadding, ...headers]);
    if (data.end + this.bytes.length !== this.endOfFile) throw new Error("native writer: the layout does not add up");
  }

  /** Packs the strings into global heap collections from `start`; remembers where each one went. */
  private placeCollections(start: number): { parts: Buffer[]; end: number } {
    const parts: Buffer[] = [];
    let at = start;
    let objects: Buffer[] = [];
    let objectBytes = 0;
    const close = () => {
      if (objects.length === 0) return;
      const size = collectionBytes(objectBytes);
      parts.push(globalHeapCollection(objects, size));
      at += size;
      objects = [];
      objectBytes = 0;
    };
    this.stringPlaces = this.strings.map((text) => {
      const bytes = heapObjectBytes(text.length);
      if (objects.length > 0 && (objects.length >= MAX_COLLECTION_OBJECTS || objectBytes + bytes > COLLECTION_TARGET_BYTES)) close();
      objects.push(text);
      objectBytes += bytes;
      return { collection: at, index: objects.length };
    });
    close();
    return { parts, end: at };
  }

  private references(encoded: Encoded, stringIndex: ReadonlyMap<Encoded, number>): Buffer {
    const first = stringIndex.get(encoded) as number;
    const count = (encoded.data as readonly string[]).length;
    const parts: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const { collection, index } = this.stringPlaces[first + i];
      parts.push(vlenReference(this.strings[first + i].length, collection, index));
    }
    return Buffer.concat(parts);
  }

  private attributeMessage(attribute: Attribute, stringIndex: ReadonlyMap<Encoded, number>): Message {
    const { encoded } = attribute;
    const values = encoded.data instanceof WholeNumbers ? encoded.data.toArray() : (encoded.data as ArrayBufferView);
    const data = encoded.dtype === "string" ? this.references(encoded, stringIndex) : bytesOf(values);
    return attributeMessage({ name: attribute.name, dtype: encoded.dtype, shape: encoded.shape, data });
  }
}

/** Every node, parents before children, members in creation order. */
function allNodes(root: GroupNode): NativeNode[] {
  const out: NativeNode[] = [];
  const visit = (node: NativeNode) => {
    out.push(node);
    if (node.kind === "group") for (const member of node.members.values()) visit(member);
  };
  visit(root);
  return out;
}
