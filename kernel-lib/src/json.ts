/** JSON values and the strict check used by the state store and the saved session context. */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Describes why `value` is not plain JSON (a function, symbol, BigInt, undefined, NaN or ±Infinity, a cycle, or a
 * class instance), or returns undefined when it is.
 */
export function jsonProblem(value: unknown, path: string, parents: Set<object> = new Set()): string | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot represent`;
    case "object":
      break;
    case "undefined":
      return `${path} is undefined, which JSON cannot represent (use null)`;
    default:
      return `${path} is a ${typeof value}, which is not JSON-serialisable`;
  }
  if (value === null) return undefined;
  if (parents.has(value)) return `${path} contains a cycle (it refers back to one of its parents)`;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  const isArray = Array.isArray(value);
  if (!isArray && proto !== Object.prototype && proto !== null) {
    return `${path} is an instance of ${proto?.constructor?.name ?? "a class"}; only plain objects, arrays, strings, finite numbers, booleans and null are JSON values`;
  }
  parents.add(value);
  try {
    if (isArray) {
      for (let i = 0; i < value.length; i++) {
        const problem = jsonProblem(value[i], `${path}[${i}]`, parents);
        if (problem) return problem;
      }
    } else {
      for (const key of Object.keys(value)) {
        const problem = jsonProblem((value as Record<string, unknown>)[key], `${path}.${key}`, parents);
        if (problem) return problem;
      }
      if (Object.getOwnPropertySymbols(value).length > 0) return `${path} has symbol keys, which JSON drops`;
    }
  } finally {
    parents.delete(value);
  }
  return undefined;
}

/** A deep copy of a value already known to be JSON. */
export function copyJson<T extends JsonValue>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
