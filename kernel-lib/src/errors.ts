/**
 * The typed errors of hdmea. Every error carries a stable `code` that notebooks and tests can branch on, and a
 * message that names the input and says what to do next. Messages are written in each folder's `messages.ts`,
 * never inline.
 */

/** Stable error codes, one per error class. */
export const ErrorCode = {
  SESSION: "HDMEA_SESSION",
  CONFIGURATION: "HDMEA_CONFIGURATION",
  DATA_LOAD: "HDMEA_DATA_LOAD",
  MISSING_INPUT: "HDMEA_MISSING_INPUT",
  CHECKPOINT: "HDMEA_CHECKPOINT",
  FILE_EXISTS: "HDMEA_FILE_EXISTS",
  FILE_NOT_FOUND: "HDMEA_FILE_NOT_FOUND",
  INTEGRITY: "HDMEA_INTEGRITY",
  INVALID_PARAMS: "HDMEA_INVALID_PARAMS",
  PARAMS_MISMATCH: "HDMEA_PARAMS_MISMATCH",
  RUN_BUSY: "HDMEA_RUN_BUSY",
  RUN_STATE: "HDMEA_RUN_STATE",
  LEDGER_CORRUPT: "HDMEA_LEDGER_CORRUPT",
  BATCH_CONFIG: "HDMEA_BATCH_CONFIG",
  BATCH: "HDMEA_BATCH",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of every error hdmea throws on purpose. */
export class HdmeaError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  /**
   * How Node prints the error (`console.error(error)`, which is what tslab does with an error thrown in a cell):
   * one line with the class, the code and the message, which says what to do. The stack is of the library's
   * internals, not of the cell, so it is left out here; `stack` and `cause` are still on the object.
   */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

/** A session operation cannot be carried out in the session's current state (e.g. a value that cannot be stored). */
export class SessionError extends HdmeaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.SESSION, message, options);
  }
}

/** A parameter or a combination of parameters is invalid, or a step's prerequisites are missing. */
export class ConfigurationError extends HdmeaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.CONFIGURATION, message, options);
  }
}

/** A file exists but cannot be read as what it was supposed to be. */
export class DataLoadError extends HdmeaError {
  readonly filePath: string;

  constructor(filePath: string, message: string, options?: { cause?: unknown }) {
    super(ErrorCode.DATA_LOAD, message, options);
    this.filePath = filePath;
  }
}

/**
 * A session file is damaged: what was read differs from what its integrity record says was written. A
 * `DataLoadError` too, so code that handles unreadable files handles this one; `objectPath` names the dataset,
 * group or attribute (`/units/unit_001@row`) where the difference was found, or is null when the record itself
 * is missing or damaged.
 */
export class IntegrityError extends DataLoadError {
  override readonly code: ErrorCode = ErrorCode.INTEGRITY;
  readonly objectPath: string | null;

  constructor(filePath: string, objectPath: string | null, message: string, options?: { cause?: unknown }) {
    super(filePath, message, options);
    this.objectPath = objectPath;
  }
}

/** Data a step or extractor needs is not in the session or the file. */
export class MissingInputError extends HdmeaError {
  readonly missingInput: string;

  constructor(missingInput: string, message: string, options?: { cause?: unknown }) {
    super(ErrorCode.MISSING_INPUT, message, options);
    this.missingInput = missingInput;
  }
}

/** Writing a session file (save or checkpoint) failed; the previous file, if any, is untouched. */
export class CheckpointError extends HdmeaError {
  readonly checkpointPath: string;

  constructor(checkpointPath: string, message: string, options?: { cause?: unknown }) {
    super(ErrorCode.CHECKPOINT, message, options);
    this.checkpointPath = checkpointPath;
  }
}

/** The target file exists and the caller asked not to overwrite it. */
export class FileExistsError extends HdmeaError {
  readonly filePath: string;

  constructor(filePath: string, message: string) {
    super(ErrorCode.FILE_EXISTS, message);
    this.filePath = filePath;
  }
}

/** An input file does not exist. */
export class FileNotFoundError extends HdmeaError {
  readonly filePath: string;

  constructor(filePath: string, message: string) {
    super(ErrorCode.FILE_NOT_FOUND, message);
    this.filePath = filePath;
  }
}

/** A batch configuration file cannot be used: it names the file, the key (dotted path) and, when known, the line. */
export class BatchConfigError extends HdmeaError {
  readonly filePath: string;
  /** Dotted key path, e.g. `recordings.root` or `pipeline[2].coverRange`; empty for the whole file. */
  readonly key: string;
  /** 1-based line of the key in the file, or null when it cannot be told. */
  readonly line: number | null;

  constructor(filePath: string, key: string, line: number | null, message: string, options?: { cause?: unknown }) {
    super(ErrorCode.BATCH_CONFIG, message, options);
    this.filePath = filePath;
    this.key = key;
    this.line = line;
  }
}

/** A batch cannot carry out a command (no manifest yet, array index out of range, scheduler missing). */
export class BatchError extends HdmeaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.BATCH, message, options);
  }
}
