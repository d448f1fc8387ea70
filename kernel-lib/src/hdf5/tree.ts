/**
 * Generic map ⇄ group conversion (reference §2.2.1 with the §9 fixes): a map becomes a group, each other value a
 * dataset (scalars of shape ()), `null`/`undefined` entries are skipped. Reading turns attributes and members
 * back into map entries.
 */
import { decodeAttribute, decodeValue, encodeAttribute, encodeValue, type Encoded, type Raw } from "./codec";
import { createGroup, datasetAt, membersOf, readAttributes, readDataset, writeAttribute, writeDataset, type H5Dataset, type H5Group } from "./bridge";
import { describeDataset } from "./descriptions";
import { HDMEA_TYPE_ATTRIBUTE } from "./schema";
import { isSessionMap, markScalarInteger, scalarIntegerOf, type SessionMap, type SessionValue } from "./values";

/**
 * Where a session's tree is written: h5wasm's objects (`h5wasmTreeWriter`) or the native writer's in-memory tree
 * (`native-writer.ts`). `Node` is a group or dataset of that writer.
 */
export interface TreeWriter<Node> {
  /** Creates group `name` in `parent`. */
  group(parent: Node, name: string): Node;
  /** Writes `encoded` as dataset `name` of `parent`, with its type tag when it has one. */
  dataset(parent: Node, name: string, encoded: Encoded): void;
  /** Dataset `name` of `parent`, just written, to give it attributes. */
  datasetNode(parent: Node, name: string): Node;
  /** Writes `encoded` as attribute `name` of a group or dataset. */
  attribute(target: Node, name: string, encoded: Encoded): void;
}

/** The tree writer of an open h5wasm file. */
export const h5wasmTreeWriter: TreeWriter<H5Group | H5Dataset> = {
  group: (parent, name) => createGroup(parent as H5Group, name),
  dataset: (parent, name, encoded) => writeDataset(parent as H5Group, name, encoded),
  datasetNode: (parent, name) => datasetAt(parent as H5Group, name),
  attribute: (target, name, encoded) => writeAttribute(target, name, encoded),
};

/** Writes every entry of `map` into `group`; `path` is the group's path from the file root. */
export function writeMap<Node>(writer: TreeWriter<Node>, group: Node, map: SessionMap, path: readonly string[]): void {
  for (const [key, value] of Object.entries(map)) {
    writeEntry(writer, group, key, value, path, scalarIntegerOf(map, key), map);
  }
}

/** Writes one entry: a map as a sub-group, anything else as a dataset. */
export function writeEntry<Node>(
  writer: TreeWriter<Node>,
  group: Node,
  key: string,
  value: SessionValue,
  path: readonly string[],
  scalarInteger?: "int64" | "uint64",
  siblings?: SessionMap,
): void {
  if (value === null || value === undefined) return;
  const childPath = [...path, key];
  if (isSessionMap(value)) {
    writeMap(writer, writer.group(group, key), value, childPath);
    return;
  }
  writer.dataset(group, key, encodeValue(value, childPath, scalarInteger));
  const description = describeDataset(childPath, siblings);
  if (description !== undefined) {
    const dataset = writer.datasetNode(group, key);
    for (const [name, attribute] of Object.entries(description)) {
      writer.attribute(dataset, name, encodeAttribute(attribute, [...childPath, name]));
    }
  }
}

/** Called for a member whose HDF5 type the codec cannot read; it is left out of the map. */
export type SkipHandler = (path: string, reason: string) => void;

/** A group or dataset of an open file, as its {@link TreeSource} knows it. */
export type TreeNode = object;

/** One member of a group: its kind and its node (null for links and named types). */
export interface TreeMember {
  readonly name: string;
  readonly kind: "group" | "dataset" | "other";
  readonly node: TreeNode | null;
}

/**
 * What reading a file's tree needs from the open file — h5wasm's objects (`h5wasmTreeSource`) or the file's own
 * structures read directly (`native-tree.ts`); both give the same members, attributes and values.
 */
export interface TreeSource {
  readonly root: TreeNode;
  /** The members of a group, in the group's own order. */
  members(group: TreeNode): TreeMember[];
  /** The attributes of a group or dataset, in the object's own order; `raw` undefined for unreadable types. */
  attributes(node: TreeNode): { name: string; raw: Raw | undefined }[];
  /** A dataset's value, or undefined when its type is not one the codec reads. */
  dataset(node: TreeNode): Raw | undefined;
}

/** The tree of an h5wasm file; large numeric arrays are read from `filePath` directly when their storage allows. */
export function h5wasmTreeSource(file: H5Group, filePath: string): TreeSource {
  return {
    root: file,
    members: (group) => membersOf(group as H5Group).map(({ name, kind, entity }) => ({ name, kind, node: entity })),
    attributes: (node) => readAttributes(node as H5Group | H5Dataset),
    dataset: (node) => readDataset(node as H5Dataset, filePath),
  };
}

/** What reading a file's tree needs besides its nodes. */
export interface TreeReading {
  readonly source: TreeSource;
  readonly onSkip: SkipHandler;
}

/** The node of member `name` of `group`, if it is a group or dataset. */
export function childNode(reading: TreeReading, group: TreeNode, name: string): TreeNode | undefined {
  return reading.source.members(group).find((member) => member.name === name)?.node ?? undefined;
}

/** Reads `group` back into a map: its attributes first, then its members, in the group's order. */
export function readGroup(group: TreeNode, path: readonly string[], reading: TreeReading): SessionMap {
  const map: SessionMap = {};
  readAttributesInto(map, group, path, reading);
  for (const { name, kind, node } of reading.source.members(group)) {
    const raw = kind === "dataset" && node !== null ? reading.source.dataset(node) : undefined;
    const value = raw !== undefined ? decodeValue(raw, [...path, name]) : readMember(node, kind, [...path, name], reading);
    if (value === undefined) continue;
    setEntry(map, name, value);
    // An int64 scalar becomes a plain number; remember its disk type so saving again keeps it.
    if (raw !== undefined && raw.shape.length === 0 && typeof value === "number" && (raw.dtype === "int64" || raw.dtype === "uint64")) {
      markScalarInteger(map, name, raw.dtype);
    }
  }
  return map;
}

/** Reads one member (a dataset or a group), or undefined when it cannot be read. */
export function readMember(node: TreeNode | null, kind: TreeMember["kind"], path: readonly string[], reading: TreeReading): SessionValue | undefined {
  if (kind === "group" && node !== null) return readGroup(node, path, reading);
  if (kind === "dataset" && node !== null) {
    const raw = reading.source.dataset(node);
    if (raw !== undefined) return decodeValue(raw, path);
  }
  reading.onSkip(path.join("/"), kind === "dataset" ? "its HDF5 type is not supported" : "it is a link or a named type");
  return undefined;
}

/** Copies the readable attributes of `target` into `map` (the type tag attribute is not data). */
export function readAttributesInto(map: SessionMap, target: TreeNode, path: readonly string[], reading: TreeReading): void {
  for (const { name, raw } of reading.source.attributes(target)) {
    if (name === HDMEA_TYPE_ATTRIBUTE) continue;
    if (raw === undefined) {
      reading.onSkip(`${path.join("/")}@${name}`, "its HDF5 type is not supported");
    } else {
      setEntry(map, name, decodeAttribute(raw, name));
    }
  }
}

/** Adds an entry read from a file; defineProperty so that a member named "__proto__" stays a plain key. */
function setEntry(map: SessionMap, key: string, value: SessionValue): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}
