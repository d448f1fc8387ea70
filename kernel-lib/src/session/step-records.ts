/** Step records (DESIGN §3): what every step run leaves behind in the session, saved with it. */

export const StepStatus = {
  STARTED: "started",
  COMPLETED: "completed",
  FAILED: "failed",
} as const;

export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];

/** A JSON-safe parameter value as recorded (typed arrays and other objects are summarised). */
export type RecordedParam = null | boolean | number | string | RecordedParam[] | { [key: string]: RecordedParam };

export interface StepRecord {
  readonly name: string;
  readonly params: { readonly [key: string]: RecordedParam };
  readonly status: StepStatus;
  /** Python-style ISO timestamp (see `nowIso`). */
  readonly startedAt: string;
  /** Wall time in milliseconds; null while the step runs. */
  readonly durationMs: number | null;
  readonly warnings: readonly string[];
  /** The error message of a failed step. */
  readonly error?: string;
}

/** Called before a step runs and after it finished (completed or failed). */
export type StepHook = (record: StepRecord) => void;

/**
 * Turns step options into JSON for the record: numbers, strings, booleans and plain structures are kept; typed
 * arrays become a short description; functions, sessions and other class instances become their class name.
 */
export function recordParams(options: Readonly<Record<string, unknown>>): { [key: string]: RecordedParam } {
  const out: { [key: string]: RecordedParam } = {};
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) out[key] = recordParam(value, 0);
  }
  return out;
}

function recordParam(value: unknown, depth: number): RecordedParam {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object") return `<${typeof value}>`;
  if (ArrayBuffer.isView(value)) return `<${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})>`;
  if (depth > 4) return "<…>";
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => recordParam(v, depth + 1));
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  if (proto !== Object.prototype && proto !== null) return `<${proto?.constructor?.name ?? "object"}>`;
  return recordParams(value as Record<string, unknown>);
}
