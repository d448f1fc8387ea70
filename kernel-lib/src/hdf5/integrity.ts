/**
 * The integrity record of a session file: what the writer wrote, so that a load can tell a damaged file from an
 * intact one instead of returning changed numbers (DESIGN §4).
 *
 *   save: every group, dataset and attribute written is noted (`DigestRecorder`: its path, element type, shape,
 *         type tag and the checksum of its values, `digest.ts`) → one JSON string dataset
 *         `pipeline/session_info/integrity_json` + the root attribute `hdmea_integrity` naming the format
 *   load: the tree is read through `checkedTreeSource`, which compares every member list, attribute list,
 *         attribute value and dataset value with the record as it is read, and throws `IntegrityError` naming
 *         the file and the object at the first difference
 *
 * The record describes the values as the codec hands them over (not HDF5's bytes), so it holds whichever reader
 * (native or h5wasm) reads the file, and any damage that changes what a load returns — in data, object headers,
 * heaps, B-trees, the global heap or the superblock — fails the check; damage to bytes that nothing reads
 * changes nothing loaded. Files without the `hdmea_integrity` attribute (written before the record, by h5py or by
 * the reference, or edited on purpose with the attribute deleted) are read unchecked. Other programs (h5py) see one more root attribute and one more string dataset, nothing else.
 */
import { IntegrityError } from "../errors";
import { TYPED_ARRAY_OF, WholeNumbers, type Dtype, type Encoded, type Raw } from "./codec";
import { CHECKSUM_SCHEMES, checksumHex, CURRENT_SCHEME, type ChecksumScheme } from "./digest";
import { messages } from "./messages";
import { HDMEA_TYPE_ATTRIBUTE } from "./schema";
import type { TreeMember, TreeNode, TreeSource } from "./tree";

/** Root attribute naming the record's format (`digest.ts`); its presence says the file must carry a record. */
export const INTEGRITY_ATTRIBUTE = "hdmea_integrity";
/** Where the record is stored: a scalar string dataset beside the other JSON datasets of the session. */
export const RECORD_GROUP_PATH = "/pipeline/session_info";
export const RECORD_NAME = "integrity_json";

/** What a value is, as the codec writes it and a reader gives it back. */
interface Value {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly data: Raw["data"] | Encoded["data"];
  readonly hdmeaType?: string;
  /** The checksum of `data`'s bytes, when its reader computed it already (`Raw.checksum`). */
  readonly checksum?: Raw["checksum"];
}

/** The stored form: arrays of tuples, so that no name (e.g. "__proto__") is ever an object key. */
interface StoredRecord {
  readonly format: string;
  readonly groups: string[];
  readonly datasets: [path: string, digest: string][];
  readonly attributes: [owner: string, name: string, digest: string][];
}

/**
 * Notes what a session writer writes into one file. A dataset's checksum is taken when the record is made
 * (`toJson`), so that a writer can compute it while the values are already on their way to the file; the values
 * must not change in between (a save writes a snapshot).
 */
export class DigestRecorder {
  private readonly groups: string[] = ["/"];
  private readonly datasets: [string, Value][] = [];
  private readonly attributes: [string, string, string][] = [];

  /** `scheme`: the current one; tests write files as an earlier hdmea did. */
  constructor(readonly scheme: ChecksumScheme = CURRENT_SCHEME) {}

  group(path: string): void {
    this.groups.push(wellFormed(path));
  }

  dataset(path: string, value: Value): void {
    this.datasets.push([wellFormed(path), value]);
    if (value.hdmeaType !== undefined) this.attribute(path, HDMEA_TYPE_ATTRIBUTE, { dtype: "string", shape: [], data: [value.hdmeaType] });
  }

  attribute(owner: string, name: string, value: Value): void {
    this.attributes.push([wellFormed(owner), wellFormed(name), digestOf(value, this.scheme)]);
  }

  /** The record as JSON; it lists itself as a member of its group (its own value is not part of it). */
  toJson(): string {
    const self: [string, string] = [`${RECORD_GROUP_PATH}/${RECORD_NAME}`, ""];
    const datasets = this.datasets.map(([path, value]): [string, string] => [path, digestOf(value, this.scheme)]);
    const record: StoredRecord = { format: this.scheme.format, groups: this.groups, datasets: [...datasets, self], attributes: this.attributes };
    return JSON.stringify(record);
  }
}

const recorders = new Map<bigint, DigestRecorder>();

/** Starts noting what is written into the open file `fileId` (the bridge's writers report to it). */
export function startRecording(fileId: bigint, scheme: ChecksumScheme = CURRENT_SCHEME): DigestRecorder {
  const recorder = new DigestRecorder(scheme);
  recorders.set(fileId, recorder);
  return recorder;
}

export function stopRecording(fileId: bigint): void {
  recorders.delete(fileId);
}

/** The recorder of an open file, if its writer asked for one. */
export function recorderOf(fileId: bigint): DigestRecorder | undefined {
  return recorders.size === 0 ? undefined : recorders.get(fileId);
}

/** A value's element type, shape, type tag and checksum, as one string. */
function digestOf(value: Value, scheme: ChecksumScheme): string {
  return `${value.dtype}|${value.shape.join(",")}|${value.hdmeaType ?? ""}|${checksumOf(value, scheme)}`;
}

function checksumOf(value: Value, scheme: ChecksumScheme): string {
  if (value.data instanceof WholeNumbers && scheme === CURRENT_SCHEME) return value.data.checksumHex();
  if (value.checksum?.format === scheme.format && value.dtype !== "string" && value.data instanceof TYPED_ARRAY_OF[value.dtype]) {
    // The reader's checksum is over these very bytes (numericBytes would hash the array where it lies).
    return value.checksum.hex;
  }
  const data = value.data instanceof WholeNumbers ? value.data.toArray() : value.data;
  const bytes = value.dtype === "string" ? stringBytes(data as readonly string[]) : numericBytes(value.dtype, data as Raw["data"]);
  return bytes === undefined ? "unreadable" : checksumHex(scheme, bytes);
}

/** Each string as its UTF-8 byte length and bytes (as stored; a lone surrogate becomes U+FFFD there too). */
function stringBytes(strings: readonly string[]): Uint8Array {
  const parts: Buffer[] = [];
  for (const text of strings) {
    const utf8 = Buffer.from(text, "utf8");
    const length = Buffer.alloc(4);
    length.writeUInt32LE(utf8.length, 0);
    parts.push(length, utf8);
  }
  return Buffer.concat(parts);
}

/**
 * The bytes of the values as the dtype's typed array: the array itself when it is one (no copy — large datasets
 * are hashed where they lie), else a converted copy (h5wasm gives a scalar of any type as a float64).
 */
function numericBytes(dtype: Exclude<Dtype, "string">, data: Raw["data"]): Uint8Array | undefined {
  const Typed = TYPED_ARRAY_OF[dtype];
  if (data instanceof Typed) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const values = data as ArrayLike<number | bigint>;
  const elementBytes = (Typed as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const out = new Typed(new ArrayBuffer(values.length * elementBytes));
  const wide = dtype === "int64" || dtype === "uint64";
  try {
    for (let i = 0; i < values.length; i++) (out as unknown as (number | bigint)[])[i] = wide ? BigInt(values[i]) : Number(values[i]);
  } catch {
    return undefined; // a non-integer where an int64 belongs
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Names as HDF5 stores them (UTF-8), so that the writer's and the reader's spelling agree. */
function wellFormed(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}

/** The record as the loader checks against it. */
interface IntegrityRecord {
  readonly scheme: ChecksumScheme;
  /** Group path → member name → kind. */
  readonly children: Map<string, Map<string, TreeMember["kind"]>>;
  readonly datasets: Map<string, string>;
  /** Owner path → attribute name → digest. */
  readonly attributes: Map<string, Map<string, string>>;
}

/**
 * The checksum scheme of the record the file's root attribute announces (so that a reader can compute the
 * checksums as the bytes arrive), undefined when there is no record to check against or its format is unknown
 * (then `checkedTreeSource` reports it).
 */
export function announcedScheme(rootAttributes: readonly { name: string; raw: Raw | undefined }[]): ChecksumScheme | undefined {
  const format = announcedFormat(rootAttributes);
  return format === undefined ? undefined : CHECKSUM_SCHEMES.get(format);
}

/** The text of the root attribute `hdmea_integrity`, when there is one and it is a string. */
function announcedFormat(rootAttributes: readonly { name: string; raw: Raw | undefined }[]): string | undefined {
  const marker = rootAttributes.find((a) => a.name === INTEGRITY_ATTRIBUTE);
  return marker?.raw?.dtype === "string" ? (marker.raw.data as readonly string[])[0] : undefined;
}

/**
 * `source` checked against the file's integrity record as it is read, or `source` itself when the file has no
 * `hdmea_integrity` attribute. Throws `IntegrityError` when the record is missing, damaged or of
 * an unknown format while the attribute says there is one.
 */
export function checkedTreeSource(source: TreeSource, filePath: string): TreeSource {
  const record = readRecord(source, filePath);
  return record === undefined ? source : new CheckedTree(source, record, filePath);
}

function readRecord(source: TreeSource, filePath: string): IntegrityRecord | undefined {
  // The attribute is the switch: deleting it (after editing the file on purpose with another program) loads
  // the file unchecked.
  const rootAttributes = source.attributes(source.root);
  if (!rootAttributes.some((a) => a.name === INTEGRITY_ATTRIBUTE)) return undefined;
  const stored = storedRecordText(source);
  const fail = (detail: string): never => {
    throw new IntegrityError(filePath, null, messages.integrityRecordDamaged(filePath, detail));
  };
  const scheme = announcedScheme(rootAttributes);
  if (scheme === undefined) return fail(`unknown integrity format ${JSON.stringify(announcedFormat(rootAttributes))}`);
  if (stored === undefined) fail(`${RECORD_GROUP_PATH}/${RECORD_NAME} is missing`);
  let parsed: StoredRecord;
  try {
    parsed = JSON.parse(stored as string) as StoredRecord;
  } catch {
    return fail(`${RECORD_GROUP_PATH}/${RECORD_NAME} is not valid JSON`);
  }
  if (parsed.format !== scheme.format || !Array.isArray(parsed.groups) || !Array.isArray(parsed.datasets) || !Array.isArray(parsed.attributes)) {
    fail(`${RECORD_GROUP_PATH}/${RECORD_NAME} is not an integrity record`);
  }
  return indexRecord(parsed, scheme);
}

/** The record dataset's text, found by walking /pipeline/session_info without the check. */
function storedRecordText(source: TreeSource): string | undefined {
  let node: TreeNode | null | undefined = source.root;
  for (const name of [...RECORD_GROUP_PATH.split("/").slice(1), RECORD_NAME]) {
    const current: TreeNode = node;
    node = source.members(current).find((member) => member.name === name)?.node;
    if (node === undefined || node === null) return undefined;
  }
  const raw = source.dataset(node);
  return raw?.dtype === "string" && raw.shape.length === 0 ? (raw.data as readonly string[])[0] : undefined;
}

function indexRecord(stored: StoredRecord, scheme: ChecksumScheme): IntegrityRecord {
  const children = new Map<string, Map<string, TreeMember["kind"]>>();
  const addChild = (path: string, kind: TreeMember["kind"]) => {
    if (path === "/") return;
    const cut = path.lastIndexOf("/");
    const parent = cut === 0 ? "/" : path.slice(0, cut);
    let members = children.get(parent);
    if (members === undefined) children.set(parent, (members = new Map()));
    members.set(path.slice(cut + 1), kind);
  };
  for (const group of stored.groups) {
    if (!children.has(group)) children.set(group, new Map());
    addChild(group, "group");
  }
  const datasets = new Map<string, string>();
  for (const [path, digest] of stored.datasets) {
    datasets.set(path, digest);
    addChild(path, "dataset");
  }
  const attributes = new Map<string, Map<string, string>>();
  for (const [owner, name, digest] of stored.attributes) {
    let names = attributes.get(owner);
    if (names === undefined) attributes.set(owner, (names = new Map()));
    names.set(name, digest);
  }
  return { scheme, children, datasets, attributes };
}

const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

/** A tree source whose every answer is compared with the integrity record before it is given out. */
class CheckedTree implements TreeSource {
  readonly root: TreeNode;
  private readonly paths = new WeakMap<TreeNode, string>();

  constructor(private readonly source: TreeSource, private readonly record: IntegrityRecord, private readonly filePath: string) {
    this.root = source.root;
    this.paths.set(this.root, "/");
  }

  members(group: TreeNode): TreeMember[] {
    const path = this.pathOf(group);
    const members = this.source.members(group);
    const expected = this.record.children.get(path);
    if (expected === undefined) this.fail(path, "this group was not written");
    const listed = members.map((m) => m.name);
    if (members.length !== expected.size || members.some((m) => expected.get(m.name) !== m.kind)) {
      this.fail(path, `its members are ${describeNames(listed)}, ${describeNames([...expected.keys()])} were written`);
    }
    const prefix = path === "/" ? "" : path;
    for (const member of members) if (member.node !== null) this.paths.set(member.node, `${prefix}/${member.name}`);
    return members;
  }

  attributes(node: TreeNode): { name: string; raw: Raw | undefined }[] {
    const path = this.pathOf(node);
    const attributes = this.source.attributes(node);
    const expected = this.record.attributes.get(path) ?? NO_ATTRIBUTES;
    if (attributes.length !== expected.size || attributes.some((a) => !expected.has(a.name))) {
      this.fail(path, `its attributes are ${describeNames(attributes.map((a) => a.name))}, ${describeNames([...expected.keys()])} were written`);
    }
    for (const { name, raw } of attributes) {
      if (raw === undefined || digestOf(raw, this.record.scheme) !== expected.get(name)) this.fail(`${path}@${name}`, "its value differs from the value written");
    }
    return attributes;
  }

  dataset(node: TreeNode): Raw | undefined {
    const path = this.pathOf(node);
    const raw = this.source.dataset(node);
    const expected = this.record.datasets.get(path);
    if (expected === undefined) this.fail(path, "this dataset was not written");
    if (raw === undefined || digestOf(raw, this.record.scheme) !== expected) this.fail(path, "its values differ from the values written");
    return raw;
  }

  private pathOf(node: TreeNode): string {
    const path = this.paths.get(node);
    // Nodes come from this tree's own `members`: any other node is a bug of the reader, not damage.
    if (path === undefined) throw new Error("a node not listed by the checked tree was read");
    return path;
  }

  private fail(objectPath: string, detail: string): never {
    throw new IntegrityError(this.filePath, objectPath, messages.integrityMismatch(this.filePath, objectPath, detail));
  }
}

function describeNames(names: readonly string[]): string {
  const shown = names.slice(0, 5).map((name) => JSON.stringify(name)).join(", ");
  return `[${shown}${names.length > 5 ? `, … (${names.length})` : ""}]`;
}
