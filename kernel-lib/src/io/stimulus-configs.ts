/**
 * Readers of the stimulus bookkeeping files (hdmea-pipeline.md §3.4 and §3.6): the playlist CSV, the movie-length
 * CSV and the per-movie JSON stimulus configs. Errors name the file, the row and the column.
 */
import * as fs from "fs";
import { DataLoadError, FileNotFoundError } from "../errors";
import { messages } from "./messages";

/** Options of {@link readPlaylistCsv}. */
export interface ReadPlaylistCsvOptions {
  readonly csvPath: string;
}

/** Options of {@link readMovieLengthCsv}. */
export interface ReadMovieLengthCsvOptions {
  readonly csvPath: string;
}

/** Options of {@link readStimulusConfig}. */
export interface ReadStimulusConfigOptions {
  readonly jsonPath: string;
}

/** `section_kwargs` of a stimulus config, in display frames (§3.6). */
export interface StimulusSectionConfig {
  /** First trial start, relative to the movie content start. */
  readonly startFrame: number;
  readonly trialLengthFrame: number;
  /** Trials per group. */
  readonly repeat: number;
  readonly groupCount: number;
  /** Frames inserted between consecutive groups. */
  readonly groupGap: number;
}

/**
 * Reads a playlist CSV (columns `playlist_name`, `movie_names`; `movie_names` holds a Python list literal of file
 * names). Returns playlist name → movie names, each cut at its first dot as the reference does (`a.b.mov` → `a`).
 */
export function readPlaylistCsv(options: ReadPlaylistCsvOptions): Map<string, string[]> {
  const { csvPath } = options;
  const table = readCsvTable(csvPath, ["playlist_name", "movie_names"]);
  const playlists = new Map<string, string[]>();
  for (const row of table.rows) {
    const name = row.cells.playlist_name.trim();
    const literal = row.cells.movie_names;
    const movies = parseStringList(literal);
    if (movies === undefined) {
      throw new DataLoadError(csvPath, messages.csvBadCell(csvPath, row.line, "movie_names", literal, "a list of quoted names like ['a.mov', 'b.mov']"));
    }
    playlists.set(name, movies.map((movie) => movie.split(".")[0]));
  }
  return playlists;
}

/** Reads a movie-length CSV (columns `movie_name`, `movie_length` in display frames). */
export function readMovieLengthCsv(options: ReadMovieLengthCsvOptions): Map<string, number> {
  const { csvPath } = options;
  const table = readCsvTable(csvPath, ["movie_name", "movie_length"]);
  const lengths = new Map<string, number>();
  for (const row of table.rows) {
    const text = row.cells.movie_length.trim();
    const value = Number(text);
    if (text === "" || !Number.isInteger(value) || value < 0) {
      throw new DataLoadError(csvPath, messages.csvBadCell(csvPath, row.line, "movie_length", row.cells.movie_length, "a whole number of frames ≥ 0"));
    }
    lengths.set(row.cells.movie_name.trim(), value);
  }
  return lengths;
}

/** Reads `{movie}.json` and checks its `section_kwargs` strictly (whole numbers; `1.0` is refused, as in §3.6). */
export function readStimulusConfig(options: ReadStimulusConfigOptions): StimulusSectionConfig {
  const { jsonPath } = options;
  if (!fs.existsSync(jsonPath)) throw new FileNotFoundError(jsonPath, messages.fileNotFound("Stimulus config", jsonPath));
  const text = fs.readFileSync(jsonPath, "utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DataLoadError(jsonPath, messages.jsonInvalid(jsonPath, error instanceof Error ? error.message : String(error)));
  }
  const kwargs = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>).section_kwargs : undefined;
  if (typeof kwargs !== "object" || kwargs === null || Array.isArray(kwargs)) {
    throw new DataLoadError(jsonPath, messages.stimulusConfigMissing(jsonPath));
  }
  const fields = kwargs as Record<string, unknown>;
  const integer = (field: string, min: number, fallback?: number): number => {
    const value = fields[field] ?? fallback;
    // JSON `1.0` parses to 1; the raw text decides whether it was written as an integer.
    const writtenAsFloat = new RegExp(`"${field}"\\s*:\\s*-?\\d+[.eE]`).test(text);
    if (typeof value !== "number" || !Number.isInteger(value) || writtenAsFloat || value < min) {
      throw new DataLoadError(jsonPath, messages.stimulusConfigField(jsonPath, field, fields[field], `an integer ≥ ${min}`));
    }
    return value;
  };
  return {
    startFrame: integer("start_frame", 0),
    trialLengthFrame: integer("trial_length_frame", 1),
    repeat: integer("repeat", 1),
    groupCount: integer("group_count", 1, 1),
    groupGap: integer("group_gap", 0, 0),
  };
}

interface CsvRow {
  /** 1-based line number of the record in the file (the header is line 1). */
  readonly line: number;
  readonly cells: Readonly<Record<string, string>>;
}

function readCsvTable(csvPath: string, required: readonly string[]): { rows: CsvRow[] } {
  if (!fs.existsSync(csvPath)) throw new FileNotFoundError(csvPath, messages.fileNotFound("CSV", csvPath));
  const records = parseCsv(fs.readFileSync(csvPath, "utf8").replace(/^\uFEFF/, ""), csvPath);
  const header = records[0]?.fields.map((name) => name.trim()) ?? [];
  const indices = required.map((column) => {
    const index = header.indexOf(column);
    if (index === -1) throw new DataLoadError(csvPath, messages.csvMissingColumn(csvPath, column, header));
    return index;
  });
  const rows: CsvRow[] = [];
  for (const record of records.slice(1)) {
    if (record.fields.length === 1 && record.fields[0].trim() === "") continue;
    const cells: Record<string, string> = {};
    required.forEach((column, i) => {
      const value = record.fields[indices[i]];
      if (value === undefined) throw new DataLoadError(csvPath, messages.csvBadCell(csvPath, record.line, column, "", "present (the row has too few cells)"));
      cells[column] = value;
    });
    rows.push({ line: record.line, cells });
  }
  return { rows };
}

/** Splits CSV text into records, honouring double quotes (with `""` as an escaped quote) and quoted newlines. */
export function parseCsv(text: string, csvPath: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = "";
      line++;
      recordLine = line;
    } else {
      field += ch;
    }
  }
  if (quoted) throw new DataLoadError(csvPath, messages.csvUnterminatedQuote(csvPath, recordLine));
  if (field !== "" || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
}

/** Parses a Python list literal of single- or double-quoted strings; undefined when it is not one. */
export function parseStringList(literal: string): string[] | undefined {
  const text = literal.trim();
  if (!text.startsWith("[") || !text.endsWith("]")) return undefined;
  const items: string[] = [];
  let i = 1;
  const end = text.length - 1;
  const skipSpace = () => {
    while (i < end && /\s/.test(text[i])) i++;
  };
  skipSpace();
  while (i < end) {
    const quote = text[i];
    if (quote !== "'" && quote !== '"') return undefined;
    i++;
    let item = "";
    while (i < end && text[i] !== quote) {
      if (text[i] === "\\" && i + 1 < end) i++;
      item += text[i];
      i++;
    }
    if (i >= end) return undefined;
    i++;
    items.push(item);
    skipSpace();
    if (i < end) {
      if (text[i] !== ",") return undefined;
      i++;
      skipSpace();
    }
  }
  return items;
}
