/**
 * A session file's tree (groups, datasets, attributes) read by parsing the HDF5 structures ourselves with small
 * cached `fs` reads, giving exactly what the h5wasm bridge gives (`membersOf`, `readAttributes`, `readDataset`) —
 * member and attribute order, typed-array types, scalar quirks and string decoding included. Walking a session
 * through h5wasm re-resolves every path inside WebAssembly HDF5 (~20 calls per unit); here each object header is
 * parsed once, mostly from an already cached page.
 *
 * Anything this reader does not implement (or that does not parse) throws `NativeTreeUnsupported`, and the caller
 * reads the whole file through h5wasm instead: a wrong value is never returned in place of an error. A damaged
 * global heap collection throws `DamagedGlobalHeap` instead: HDF5 can hang on it, so the file is refused.
 *
 * @internal
 */
import * as fs from "fs";
import { TYPED_ARRAY_OF, type Dtype, type Raw } from "./codec";
import type { ChecksumScheme } from "./digest";
import { MESSAGE_ATTRIBUTE, MESSAGE_ATTRIBUTE_INFO, readAttributeInfo, readAttributeMessage, readDenseAttributes, type Attribute } from "./format/attributes";
import { directRuns, readDatasetBytes, unzeroedBytes, type ByteRun } from "./format/dataset-bytes";
import { readDatasetMessages, type Dataspace, type DatasetMessages } from "./format/dataset-messages";
import { CLASS_ENUM, CLASS_FLOAT, CLASS_INTEGER, CLASS_STRING, dtypeOfClass, readDatatype, VLEN_DISK_BYTES, type Datatype } from "./format/datatype";
import { ByteCursor, CachedFileBytes } from "./format/file-bytes";
import { DamagedGlobalHeap, GlobalHeap } from "./format/global-heap";
import { emscriptenUtf8, fixedString, vlenString } from "./format/h5wasm-strings";
import { readWithChecksums, type PlannedRead } from "./format/pipelined-read";
import { LINK_HARD, MESSAGE_LINK, MESSAGE_LINK_INFO, MESSAGE_SYMBOL_TABLE, readDenseLinks, readLinkInfo, readLinkMessage, readSymbolTableLinks, type Link } from "./format/links";
import { HEADER_ATTRIBUTE_ORDER_INDEXED, MESSAGE_DATASPACE, MESSAGE_DATATYPE, MESSAGE_FLAG_SHARED, readObjectHeader, type ObjectHeader } from "./format/object-header";
import { readSuperblock } from "./format/superblock";
import { NativeTreeUnsupported, unsupported } from "./format/unsupported";
import { HDMEA_TYPE_ATTRIBUTE } from "./schema";
import type { TreeMember, TreeNode, TreeSource } from "./tree";

export { NativeTreeUnsupported } from "./format/unsupported";

/** An object of the file: its path and its object header address (relative to the superblock). */
export interface NativeObject {
  readonly path: string;
  readonly address: number;
}

/**
 * A file's tree, read natively, as the tree reader takes it (`tree.ts`): members in `bridge.membersOf`'s order
 * (h5wasm's `get_types`: see `readMembers`), with a {@link NativeObject} as each group's or dataset's node;
 * attributes and datasets exactly as `bridge.readAttributes` and `bridge.readDataset` give them. Every method throws
 * `NativeTreeUnsupported` for what it does not read.
 */
export interface NativeTree extends TreeSource {
  readonly root: NativeObject;
  /**
   * Reads the bytes of the tree's larger numeric datasets ahead, all at once, computing their checksums under
   * `scheme` as they arrive (`pipelined-read.ts`; none without a scheme); `dataset` then hands each out once, with
   * the checksum as the Raw's `checksum`. Resolves with how many datasets were read ahead: 0 when anything went
   * wrong (nothing is then read ahead, and `dataset` reads as it would have without). Never rejects. The tree must
   * not be closed before it resolves (its reads use the tree's file descriptor).
   */
  prefetch(scheme?: ChecksumScheme): Promise<number>;
  close(): void;
}

/** Parsed headers kept per tree; a session's walk visits each object once or twice. */
const MAX_CACHED_HEADERS = 8192;
/**
 * Datasets from this size on are read ahead by `prefetch`; smaller ones cost more in a read of their own than in
 * the page cache, where several share a page.
 */
const PREFETCH_MIN_BYTES = 4 * 1024;

type TypedArrayClass = (typeof TYPED_ARRAY_OF)[keyof typeof TYPED_ARRAY_OF];

interface DatasetFacts {
  readonly datatype: Datatype;
  readonly dataset: DatasetMessages;
  readonly dtype: Dtype;
  readonly shape: number[];
  readonly count: number;
  readonly enumBool: boolean;
}


/**
 * Opens `filePath` for native tree reading (one file descriptor, kept until `close`). Throws
 * NativeTreeUnsupported when the file uses anything not implemented, or cannot be read this way at all.
 */
export function openNativeTree(filePath: string): NativeTree {
  let fd: number | undefined;
  try {
    fd = fs.openSync(filePath, "r");
    const tree = new NativeTreeReader(filePath, fd);
    fd = undefined;
    return tree;
  } catch (error) {
    throw asUnsupported(error);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Every failure inside the reader means "read this file through h5wasm" — except damage HDF5 may not survive. */
function asUnsupported(error: unknown): NativeTreeUnsupported | DamagedGlobalHeap {
  if (error instanceof NativeTreeUnsupported || error instanceof DamagedGlobalHeap) return error;
  return new NativeTreeUnsupported(error instanceof Error ? error.message : String(error), { cause: error });
}

function guarded<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw asUnsupported(error);
  }
}

class NativeTreeReader implements NativeTree {
  readonly root: NativeObject;
  private readonly file: CachedFileBytes;
  private readonly baseAddress: number;
  private readonly globalHeap: GlobalHeap;
  private readonly headers = new Map<number, ObjectHeader>();
  /** Each dataset's facts by its address: the read-ahead and the walk both need them. */
  private readonly facts = new Map<number, DatasetFacts | undefined>();
  /** Each group's members by its address, with the path they were listed under (a prefetch walks the tree first). */
  private readonly memberLists = new Map<number, { path: string; members: TreeMember[] }>();
  /** Bytes read ahead by `prefetch`, by the dataset's header address, until `dataset` hands them out. */
  private readonly prefetched = new Map<number, { bytes: Uint8Array; checksum: Raw["checksum"] }>();
  private fd: number | undefined;

  constructor(private readonly filePath: string, fd: number) {
    this.file = new CachedFileBytes({ filePath, fd });
    const superblock = readSuperblock(this.file);
    if (superblock === undefined || superblock.rootAddress === undefined) unsupported("superblock");
    // HDF5 refuses a file shorter than the end of file its writer recorded; so does this reader, even where the
    // missing bytes are never read, so that a truncated file gets HDF5's error.
    // (Files with a user block store it counted from the file's start, as the fixtures show: it is the file's size.)
    if (superblock.endOfFileAddress === undefined || this.file.size < superblock.endOfFileAddress) unsupported("truncated file");
    this.fd = fd;
    this.baseAddress = superblock.baseAddress;
    this.globalHeap = new GlobalHeap(this.file);
    this.root = { path: "/", address: superblock.rootAddress };
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    this.headers.clear();
    this.memberLists.clear();
    this.facts.clear();
    this.prefetched.clear();
  }

  async prefetch(scheme?: ChecksumScheme): Promise<number> {
    const fd = this.fd;
    if (fd === undefined) return 0;
    try {
      // Planned (and allocated) all at once before the reads: V8 answers the growth of external memory with full
      // GCs, about 2 per load for one burst of allocations against 4–6 when they are spread over the reads
      // (--trace-gc on the 256 MB bench session), and a full GC costs more the larger the heap (a notebook
      // kernel's is large). Planning lazily, overlapped with the reads, did not measurably win that back here.
      const plans = [...this.prefetchPlans()];
      const read = await readWithChecksums(fd, plans.values(), scheme);
      for (const { plan, checksum } of read) this.prefetched.set(plan.address, { bytes: plan.target, checksum });
      return read.length;
    } catch {
      // Whatever failed here fails again, with its own error, when the dataset is read the ordinary way.
      this.prefetched.clear();
      return 0;
    }
  }

  members(group: TreeNode): TreeMember[] {
    return guarded(() => this.memberList(group as NativeObject));
  }

  attributes(object: TreeNode): { name: string; raw: Raw | undefined }[] {
    return guarded(() => this.readAttributes(object as NativeObject));
  }

  dataset(object: TreeNode): Raw | undefined {
    return guarded(() => this.readDataset(object as NativeObject));
  }

  private header(address: number): ObjectHeader {
    const cached = this.headers.get(address);
    if (cached !== undefined) return cached;
    const header = readObjectHeader({ file: this.file, baseAddress: this.baseAddress, address });
    if (header === undefined) unsupported("object header");
    if (this.headers.size >= MAX_CACHED_HEADERS) this.headers.clear();
    this.headers.set(address, header);
    return header;
  }

  private memberList(group: NativeObject): TreeMember[] {
    const cached = this.memberLists.get(group.address);
    if (cached !== undefined && cached.path === group.path) return [...cached.members];
    const members = this.readMembers(group);
    this.memberLists.set(group.address, { path: group.path, members });
    return [...members];
  }

  /**
   * The datasets `prefetch` reads, in the tree's order, each with its (unzeroed) buffer: every numeric, non-scalar,
   * little-endian dataset of at least PREFETCH_MIN_BYTES whose stored bytes are its values as they lie
   * (`directRuns`), each once. Throws (declining the prefetch) for anything that does not parse, and when the runs add up to more than the
   * file holds (a damaged file whose datasets point at the same bytes).
   */
  private *prefetchPlans(): Generator<PlannedRead & { address: number }> {
    const seen = new Set<number>();
    let planned = 0;
    const stack: NativeObject[] = [this.root];
    seen.add(this.root.address);
    while (stack.length > 0) {
      const group = stack.pop() as NativeObject;
      const subgroups: NativeObject[] = [];
      for (const { kind, node } of this.memberList(group)) {
        const object = node as NativeObject | null;
        if (object === null || seen.has(object.address)) continue;
        seen.add(object.address);
        if (kind === "group") {
          subgroups.push(object);
          continue;
        }
        const plan = this.prefetchPlan(object);
        if (plan === undefined) continue;
        planned += plan.bytes;
        if (planned > this.file.size) unsupported("datasets larger than the file");
        yield { address: object.address, target: unzeroedBytes(plan.bytes), runs: plan.runs };
      }
      // Depth first, in member order: the order the session walk reads them in.
      stack.push(...subgroups.reverse());
    }
  }

  private prefetchPlan(object: NativeObject): { bytes: number; runs: ByteRun[] } | undefined {
    const facts = this.datasetFacts(object);
    if (facts === undefined) return undefined;
    const { datatype, dataset, shape, count } = facts;
    if (shape.length === 0 || (datatype.type !== CLASS_INTEGER && datatype.type !== CLASS_FLOAT)) return undefined;
    if (!datatype.littleEndian && datatype.size > 1) return undefined;
    const bytes = datatype.size * count;
    if (bytes < PREFETCH_MIN_BYTES) return undefined;
    const runs = directRuns({ file: this.file, baseAddress: this.baseAddress, dataset, elementBytes: datatype.size, count });
    if (runs === undefined) return undefined;
    for (const run of runs) if (run.address < 0 || run.address + run.length > this.file.size) unsupported("dataset beyond the end of the file");
    return { bytes, runs };
  }

  /**
   * h5wasm's `get_types` lists links by creation order when the group indexes it, else by name (byte order), and
   * puts them into a JavaScript object: integer-like names then come first in numeric order, and a name that is
   * an object's own setter ("__proto__") is lost. Building the same kind of object reproduces both.
   */
  private readMembers(group: NativeObject): TreeMember[] {
    const header = this.header(group.address);
    let links: Link[];
    let byCreationOrder = false;
    const symbolTable = header.messages.find((m) => m.type === MESSAGE_SYMBOL_TABLE);
    const linkInfoMessage = header.messages.find((m) => m.type === MESSAGE_LINK_INFO);
    if (symbolTable !== undefined) {
      links = readSymbolTableLinks({ file: this.file, baseAddress: this.baseAddress, body: symbolTable.body });
    } else if (linkInfoMessage !== undefined) {
      const info = readLinkInfo(linkInfoMessage.body, this.filePath);
      byCreationOrder = info.orderIndexed;
      links =
        info.heapAddress === undefined
          ? header.messages.filter((m) => m.type === MESSAGE_LINK).map((m) => readLinkMessage(m.body, this.filePath))
          : readDenseLinks({ file: this.file, baseAddress: this.baseAddress, info });
    } else {
      unsupported("not a group");
    }
    if (links.some((link) => link.type !== LINK_HARD)) unsupported("soft or external link");
    sortLinks(links, byCreationOrder);

    const types: Record<string, number> = {};
    const objects = new Map<string, { kind: TreeMember["kind"]; address: number }>();
    for (const link of links) {
      const name = emscriptenUtf8(link.name);
      const address = link.address as number;
      const kind = this.kindOf(address);
      types[name] = 0;
      objects.set(name, { kind, address });
    }
    const prefix = group.path === "/" ? "" : group.path;
    return Object.keys(types).map((name): TreeMember => {
      const { kind, address } = objects.get(name) as { kind: TreeMember["kind"]; address: number };
      const node: NativeObject | null = kind === "other" ? null : { path: `${prefix}/${name}`, address };
      return { name, kind, node };
    });
  }

  /** HDF5's object class test: a group has a symbol table or link info, a dataset a datatype and a dataspace. */
  private kindOf(address: number): TreeMember["kind"] {
    let group = false;
    let datatype = false;
    let dataspace = false;
    for (const { type } of this.header(address).messages) {
      if (type === MESSAGE_SYMBOL_TABLE || type === MESSAGE_LINK_INFO) group = true;
      else if (type === MESSAGE_DATATYPE) datatype = true;
      else if (type === MESSAGE_DATASPACE) dataspace = true;
    }
    if (group) return "group";
    if (datatype) return dataspace ? "dataset" : "other";
    return unsupported("object of unknown class");
  }

  /** The object's attributes in h5wasm's order (see `orderedAttributes`). */
  private readAttributes(object: NativeObject): { name: string; raw: Raw | undefined }[] {
    return this.orderedAttributes(object).map(({ name, attribute }) => ({ name, raw: this.attributeRaw(attribute) }));
  }

  /**
   * h5wasm lists attribute names by creation order when the object's header indexes it (v2 header flag), else
   * by name, and `readAttributes` takes `Object.keys` of an object made with one property per name: integer-like
   * names first, in numeric order.
   */
  private orderedAttributes(object: NativeObject): { name: string; attribute: Attribute }[] {
    const header = this.header(object.address);
    const attributes: Attribute[] = [];
    for (const message of header.messages) {
      if (message.type === MESSAGE_ATTRIBUTE) {
        if ((message.flags & MESSAGE_FLAG_SHARED) !== 0) unsupported("shared attribute message");
        attributes.push(readAttributeMessage(message.body, this.filePath, message.creationOrder));
      } else if (message.type === MESSAGE_ATTRIBUTE_INFO) {
        const info = readAttributeInfo(message.body, this.filePath);
        if (info.heapAddress !== undefined) attributes.push(...readDenseAttributes({ file: this.file, baseAddress: this.baseAddress, info }));
      }
    }
    const byCreationOrder = header.version === 2 && (header.flags & HEADER_ATTRIBUTE_ORDER_INDEXED) !== 0;
    if (byCreationOrder) {
      if (attributes.some((a) => a.creationOrder === undefined)) unsupported("attribute without creation order");
      attributes.sort((a, b) => (a.creationOrder as number) - (b.creationOrder as number));
    } else {
      attributes.sort((a, b) => Buffer.compare(a.name, b.name));
    }
    const keyed: Record<string, Attribute> = {};
    for (const attribute of attributes) {
      Object.defineProperty(keyed, emscriptenUtf8(attribute.name), { value: attribute, enumerable: true, configurable: true });
    }
    return Object.keys(keyed).map((name) => ({ name, attribute: keyed[name] }));
  }

  /** bridge.readAttributes' value: numericAttributeRaw for plain little-endian numbers, else attributeRaw. */
  private attributeRaw(attribute: Attribute): Raw | undefined {
    const datatype = attribute.datatype;
    if (datatype === undefined) return unsupported("attribute datatype");
    const shape = shapeOf(attribute.dataspace);
    const count = elementCount(attribute.dataspace);
    if (datatype.type === CLASS_INTEGER || datatype.type === CLASS_FLOAT) {
      if (!datatype.littleEndian && datatype.size > 1) unsupported("big-endian attribute");
      const dtype = dtypeOfClass(datatype);
      if (dtype === undefined || dtype === "string" || shape === null) return undefined;
      const bytes = this.copyBytes(attribute.data, datatype.size * count);
      return { dtype, shape, data: new TYPED_ARRAY_OF[dtype](bytes.buffer as ArrayBuffer, 0, count) };
    }
    const enumBool = datatype.type === CLASS_ENUM && isBooleanEnum(datatype);
    const dtype = enumBool ? dtypeOfClass({ ...datatype, type: CLASS_INTEGER }) : dtypeOfClass(datatype);
    if (dtype === undefined || shape === null) return undefined;
    const elements = this.copyBytes(attribute.data, elementBytes(datatype) * count);
    return { dtype, shape, data: this.values(elements, datatype, dtype, count, shape.length === 0), isEnumBool: enumBool };
  }

  private copyBytes(data: Buffer, bytes: number): Uint8Array {
    if (data.length < bytes) unsupported("attribute data shorter than its dataspace");
    const out = new Uint8Array(new ArrayBuffer(bytes));
    out.set(data.subarray(0, bytes));
    return out;
  }

  private readDataset(object: NativeObject): Raw | undefined {
    const facts = this.datasetFacts(object);
    if (facts === undefined) return undefined;
    const { datatype, dataset, dtype, shape, count, enumBool } = facts;
    if (dtype !== "string" && !datatype.littleEndian && datatype.size > 1) unsupported("big-endian dataset");
    const mayBeTagged = dtype === "int8" || (shape.length === 1 && (dtype === "float64" || dtype === "int64"));
    const hdmeaType = mayBeTagged ? this.typeTag(object) : undefined;
    const prefetched = this.prefetched.get(object.address);
    this.prefetched.delete(object.address);
    const bytes = prefetched?.bytes ?? readDatasetBytes({ file: this.file, baseAddress: this.baseAddress, dataset, elementBytes: elementBytes(datatype), count });
    const data = this.values(bytes, datatype, dtype, count, shape.length === 0);
    // (The facts are cached: each Raw gets its own shape.)
    const raw: Raw = { dtype, shape: [...shape], data, hdmeaType, isEnumBool: enumBool };
    return prefetched?.checksum === undefined ? raw : { ...raw, checksum: prefetched.checksum };
  }

  /** A dataset's type, storage and extent; undefined when the codec does not read its type or it has no shape. */
  private datasetFacts(object: NativeObject): DatasetFacts | undefined {
    if (this.facts.has(object.address)) return this.facts.get(object.address);
    const facts = this.readDatasetFacts(object);
    this.facts.set(object.address, facts);
    return facts;
  }

  private readDatasetFacts(object: NativeObject): DatasetFacts | undefined {
    const header = this.header(object.address);
    const typeMessage = header.messages.find((m) => m.type === MESSAGE_DATATYPE);
    if (typeMessage === undefined) return unsupported("dataset without datatype");
    if ((typeMessage.flags & MESSAGE_FLAG_SHARED) !== 0) unsupported("committed datatype");
    const datatype = readDatatype(new ByteCursor({ buffer: typeMessage.body, filePath: this.filePath }));
    if (datatype === undefined) return unsupported("datatype");
    const dataset = readDatasetMessages({ messages: header.messages, filePath: this.filePath });
    if (dataset === undefined) return unsupported("dataset storage");
    const enumBool = datatype.type === CLASS_ENUM && isBooleanEnum(datatype);
    const dtype = enumBool ? dtypeOfClass({ ...datatype, type: CLASS_INTEGER }) : dtypeOfClass(datatype);
    const shape = shapeOf(dataset.dataspace);
    if (dtype === undefined || shape === null) return undefined;
    return { datatype, dataset, dtype, shape, count: elementCount(dataset.dataspace), enumBool };
  }

  /** The value of the dataset's `hdmea_type` attribute when it is a string (as `attrs[name]?.value` is). */
  private typeTag(object: NativeObject): string | undefined {
    const tag = this.orderedAttributes(object).find((entry) => entry.name === HDMEA_TYPE_ATTRIBUTE);
    if (tag === undefined) return undefined;
    const { datatype, dataspace, data } = tag.attribute;
    if (datatype === undefined) return unsupported("type tag datatype");
    if (datatype.type !== CLASS_STRING || shapeOf(dataspace)?.length !== 0) return undefined;
    return this.strings(this.copyBytes(data, elementBytes(datatype)), datatype, 1)[0];
  }

  /**
   * Element bytes → the bridge's flat data: strings as a list; numbers as a typed array of the element type,
   * except that h5wasm returns a scalar as a bare number (→ Float64Array) or bigint (→ BigInt64/BigUint64Array).
   */
  private values(bytes: Uint8Array, datatype: Datatype, dtype: Dtype, count: number, isScalar: boolean): Raw["data"] {
    if (dtype === "string") return this.strings(bytes, datatype, count);
    const elementType = datatype.type === CLASS_ENUM ? (datatype.enumBase as Datatype) : datatype;
    const accessor = accessorOf(elementType);
    const array = new accessor(bytes.buffer as ArrayBuffer, bytes.byteOffset, count);
    if (!isScalar) return array;
    const value = array[0];
    if (typeof value === "bigint") return dtype === "uint64" ? BigUint64Array.of(BigInt.asUintN(64, value)) : BigInt64Array.of(value);
    return Float64Array.of(Number(value));
  }

  private strings(bytes: Uint8Array, datatype: Datatype, count: number): string[] {
    const out: string[] = [];
    if (!datatype.vlenString) {
      const size = datatype.size;
      for (let i = 0; i < count; i++) out.push(fixedString(bytes.subarray(i * size, (i + 1) * size), datatype.cset));
      return out;
    }
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) {
      const at = i * VLEN_DISK_BYTES;
      const length = view.readUInt32LE(at);
      const cursor = new ByteCursor({ buffer: view.subarray(at + 4, at + 12), filePath: this.filePath });
      const collection = cursor.address();
      const index = view.readUInt32LE(at + 12);
      if (length === 0 || collection === undefined || collection === 0) {
        out.push("");
        continue;
      }
      const object = this.globalHeap.object(this.baseAddress + collection, index);
      if (object === undefined || object.length < length) unsupported("variable-length string in the global heap");
      out.push(vlenString(object.subarray(0, length), datatype.cset));
    }
    return out;
  }
}

function sortLinks(links: Link[], byCreationOrder: boolean): void {
  if (byCreationOrder) {
    if (links.some((link) => link.creationOrder === undefined)) unsupported("link without creation order");
    links.sort((a, b) => (a.creationOrder as number) - (b.creationOrder as number));
  } else {
    links.sort((a, b) => Buffer.compare(a.name, b.name));
  }
}

/** h5wasm's typed array for an integer or float element (its `getAccessor`). */
function accessorOf(datatype: Datatype): TypedArrayClass {
  const dtype = dtypeOfClass(datatype);
  if (dtype === undefined || dtype === "string") return unsupported("element type without a typed array");
  return TYPED_ARRAY_OF[dtype];
}

function isBooleanEnum(datatype: Datatype): boolean {
  const members = datatype.enumMembers;
  return members !== undefined && members.size === 2 && members.get("FALSE") === 0 && members.get("TRUE") === 1;
}

function elementBytes(datatype: Datatype): number {
  return datatype.vlenString ? VLEN_DISK_BYTES : datatype.size;
}

function shapeOf(dataspace: Dataspace): number[] | null {
  return dataspace.kind === "null" ? null : [...dataspace.dims];
}

function elementCount(dataspace: Dataspace): number {
  if (dataspace.kind === "null") return 0;
  return dataspace.dims.reduce((product, size) => product * size, 1);
}
