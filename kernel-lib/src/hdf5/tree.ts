/**
 * Generic map ⇄ group conversion (reference §2.2.1 with the §9 fixes): a map becomes a group, each other value a
 * dataset (scalars of shape ()), `null`/`undefined` entries are skipped. Reading turns attributes and members
 * back into map entries.
 */
import { decodeAttribute, decodeValue, encodeValue } from "./codec";
import { createGroup, membersOf, readAttributes, readDataset, writeDataset, type H5Dataset, type H5Group } from "./bridge";
import { HDMEA_TYPE_ATTRIBUTE } from "./schema";
import { isSessionMap, type SessionMap, type SessionValue } from "./values";

/** Writes every entry of `map` into `group`; `path` is the group's path from the file root. */
export function writeMap(group: H5Group, map: SessionMap, path: readonly string[]): void {
  for (const [key, value] of Object.entries(map)) {
    writeEntry(group, key, value, path);
  }
}

/** Writes one entry: a map as a sub-group, anything else as a dataset. */
export function writeEntry(group: H5Group, key: string, value: SessionValue, path: readonly string[]): void {
  if (value === null || value === undefined) return;
  const childPath = [...path, key];
  if (isSessionMap(value)) {
    writeMap(createGroup(group, key), value, childPath);
  } else {
    writeDataset(group, key, encodeValue(value, childPath));
  }
}

/** Called for a member whose HDF5 type the codec cannot read; it is left out of the map. */
export type SkipHandler = (path: string, reason: string) => void;

/** What reading a file's tree needs besides its objects. */
export interface TreeReading {
  /** The file being read: large numeric arrays are read from it directly (see `readDataset`). */
  readonly filePath: string;
  readonly onSkip: SkipHandler;
}

/** Reads `group` back into a map: its attributes first, then its members, in the group's order. */
export function readGroup(group: H5Group, path: readonly string[], reading: TreeReading): SessionMap {
  const map: SessionMap = {};
  readAttributesInto(map, group, path, reading);
  for (const { name, kind, entity } of membersOf(group)) {
    const value = readMember(group, name, kind, [...path, name], reading, entity);
    if (value !== undefined) setEntry(map, name, value);
  }
  return map;
}

/**
 * Reads one member of `group` (a dataset or a group), or undefined when it cannot be read. `entity` is the
 * member's object when the caller already has it from `membersOf` (saves a second path lookup).
 */
export function readMember(
  group: H5Group,
  name: string,
  kind: "group" | "dataset" | "other",
  path: readonly string[],
  reading: TreeReading,
  entity: H5Group | H5Dataset | null = null,
): SessionValue | undefined {
  if (kind === "group") return readGroup((entity ?? group.get(name)) as H5Group, path, reading);
  if (kind === "dataset") {
    const raw = readDataset((entity ?? group.get(name)) as H5Dataset, reading.filePath);
    if (raw !== undefined) return decodeValue(raw, path);
  }
  reading.onSkip(path.join("/"), kind === "dataset" ? "its HDF5 type is not supported" : "it is a link or a named type");
  return undefined;
}

/** Copies the readable attributes of `target` into `map` (the type tag attribute is not data). */
export function readAttributesInto(map: SessionMap, target: H5Group, path: readonly string[], reading: TreeReading): void {
  for (const { name, raw } of readAttributes(target)) {
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
