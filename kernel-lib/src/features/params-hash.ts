/**
 * `params_hash` of a feature's configuration (the name the reference's immediate mode uses): `sha256:` and the
 * first 16 hex digits of the SHA-256 of the configuration as JSON with sorted keys. `extractFeatures` stores it
 * with every result and treats a stored feature as cached only when version and hash still match, so re-running
 * a cell with a changed option recomputes instead of silently keeping the old numbers.
 */
import { createHash } from "crypto";

/** The hash of `config` (key order does not matter). */
export function featureParamsHash(config: Readonly<Record<string, unknown>>): string {
  return `sha256:${createHash("sha256").update(canonicalJson(config)).digest("hex").slice(0, 16)}`;
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null) ?? "null";
  if (ArrayBuffer.isView(value)) return canonicalJson(Array.from(value as unknown as ArrayLike<number | bigint>, (v) => String(v)));
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(",")}}`;
}
