/** The typed errors of the runs ledger. Messages come from `messages.ts`. */
import { ErrorCode, HdmeaError } from "../errors";

/** Run parameters that have no canonical form (a function, NaN, a class instance, …). */
export class InvalidParamsError extends HdmeaError {
  /** Dotted path of the offending value inside the parameters ("" for the parameters themselves). */
  readonly key: string;

  constructor(key: string, message: string) {
    super(ErrorCode.INVALID_PARAMS, message);
    this.key = key;
  }
}

/** `onNearMiss: "error"` and no run has exactly these parameters; `differingKeys` says what differs from the nearest. */
export class ParamsMismatchError extends HdmeaError {
  readonly identifier: string;
  /** uid of the run whose parameters are nearest to the requested ones. */
  readonly nearestUid: string;
  /** Dotted keys whose values differ, are missing or are extra, sorted. */
  readonly differingKeys: readonly string[];

  constructor(identifier: string, nearestUid: string, differingKeys: readonly string[], message: string) {
    super(ErrorCode.PARAMS_MISMATCH, message);
    this.identifier = identifier;
    this.nearestUid = nearestUid;
    this.differingKeys = differingKeys;
  }
}

/** Another live process holds the run (its heartbeat is fresh), so it cannot be started here. */
export class RunBusyError extends HdmeaError {
  readonly uid: string;
  readonly holder: { host: string; pid: number };

  constructor(uid: string, holder: { host: string; pid: number }, message: string) {
    super(ErrorCode.RUN_BUSY, message);
    this.uid = uid;
    this.holder = holder;
  }
}

/** A status change that the run's current state does not allow (done() before start(), start() of a done run). */
export class RunStateError extends HdmeaError {
  readonly uid: string;

  constructor(uid: string, message: string) {
    super(ErrorCode.RUN_STATE, message);
    this.uid = uid;
  }
}

/** A ledger record exists but does not parse; `filePath` names it. */
export class LedgerCorruptError extends HdmeaError {
  readonly filePath: string;

  constructor(filePath: string, message: string, options?: { cause?: unknown }) {
    super(ErrorCode.LEDGER_CORRUPT, message, options);
    this.filePath = filePath;
  }
}
