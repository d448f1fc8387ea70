/**
 * Reads a batch configuration file (TOML or YAML, chosen by suffix) into plain data, and can tell on which line a
 * key sits so every later validation error can name it. Parse errors become `BatchConfigError` with the parser's
 * line.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseToml, TomlError } from "smol-toml";
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node as YamlNode } from "yaml";
import { BatchConfigError } from "../errors";
import { batchMessages as messages } from "./messages";

/** One segment of a key path: a table/map key or a list index. */
export type KeySegment = string | number;

/** A parsed configuration file. */
export interface ConfigSource {
  readonly filePath: string;
  readonly data: unknown;
  /** 1-based line of the key at `keyPath`, or null when unknown. */
  lineOf(keyPath: readonly KeySegment[]): number | null;
}

/** Reads and parses `filePath`; throws `BatchConfigError` for a missing file, an unknown suffix or bad syntax. */
export function readConfigSource(filePath: string): ConfigSource {
  const absolute = path.resolve(filePath);
  let text: string;
  try {
    text = fs.readFileSync(absolute, "utf8");
  } catch (error) {
    throw new BatchConfigError(absolute, "", null, messages.configUnreadable(absolute, errorText(error)), { cause: error });
  }
  const suffix = path.extname(absolute).toLowerCase();
  if (suffix === ".toml") return tomlSource(absolute, text);
  if (suffix === ".yaml" || suffix === ".yml") return yamlSource(absolute, text);
  throw new BatchConfigError(absolute, "", null, messages.configSuffix(absolute));
}

function tomlSource(filePath: string, text: string): ConfigSource {
  let data: unknown;
  try {
    data = parseToml(text);
  } catch (error) {
    const line = error instanceof TomlError ? error.line : null;
    const detail = errorText(error).split("\n")[0];
    throw new BatchConfigError(filePath, "", line, messages.syntax(filePath, "TOML", line, detail), { cause: error });
  }
  return { filePath, data, lineOf: (keyPath) => tomlLineOf(text, keyPath) };
}

/**
 * TOML keeps no positions, so the line is found in the text: the header of the key's table (`[a]` or the n-th
 * `[[a]]`), then the first `key =` line after it. Good for the flat layout batch files use; null when unsure.
 */
function tomlLineOf(text: string, keyPath: readonly KeySegment[]): number | null {
  const lines = text.split(/\r?\n/);
  const tableNames = keyPath.filter((segment): segment is string => typeof segment === "string");
  const arrayIndex = keyPath.find((segment): segment is number => typeof segment === "number");
  let start = 0;
  let table = "";
  if (keyPath.length > 1 || arrayIndex !== undefined) {
    table = tableNames[0];
    let seen = -1;
    const header = new RegExp(`^\\s*\\[{1,2}\\s*${escapeRegExp(table)}\\s*\\]{1,2}\\s*(#.*)?$`);
    const found = lines.findIndex((line) => header.test(line) && (arrayIndex === undefined || ++seen === arrayIndex));
    if (found < 0) return null;
    start = found;
    if (keyPath.length === 1 || (arrayIndex !== undefined && keyPath.length === 2)) return found + 1;
  }
  const key = String(keyPath[keyPath.length - 1]);
  const assignment = new RegExp(`^\\s*["']?${escapeRegExp(key)}["']?\\s*=`);
  for (let i = start + (table === "" ? 0 : 1); i < lines.length; i++) {
    if (table !== "" && /^\s*\[/.test(lines[i])) break;
    if (table === "" && /^\s*\[/.test(lines[i])) {
      const sectionHeader = new RegExp(`^\\s*\\[{1,2}\\s*${escapeRegExp(key)}\\s*\\]{1,2}`);
      if (sectionHeader.test(lines[i])) return i + 1;
      continue;
    }
    if (assignment.test(lines[i])) return i + 1;
  }
  return null;
}

function yamlSource(filePath: string, text: string): ConfigSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    const line = first.linePos?.[0].line ?? null;
    throw new BatchConfigError(filePath, "", line, messages.syntax(filePath, "YAML", line, first.message.split("\n")[0]));
  }
  const data: unknown = document.toJS({ maxAliasCount: 100 });
  const lineOf = (keyPath: readonly KeySegment[]): number | null => {
    let node: unknown = document.contents;
    let offset: number | null = null;
    for (const segment of keyPath) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        if (pair === undefined) return offset === null ? null : lineCounter.linePos(offset).line;
        offset = (pair.key as YamlNode).range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        const item = node.items[segment] as YamlNode | undefined;
        if (item === undefined) return offset === null ? null : lineCounter.linePos(offset).line;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else {
        break;
      }
    }
    return offset === null ? null : lineCounter.linePos(offset).line;
  };
  return { filePath, data, lineOf };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
