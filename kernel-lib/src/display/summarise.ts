/**
 * Step parameters made small enough for the session card: the card is capped at 64 KB whatever a step was given, so
 * parameters are summarised (texts cut, long lists and maps shortened, deep values described) until their JSON fits
 * a character budget. The result is still JSON of the same outline, so a frontend shows it like the real thing.
 */
import { shorten } from "./html";
import type { ProtocolJson } from "./protocol";

/** A recorded parameter value (the JSON the step records hold). */
export type ParamValue = null | boolean | number | string | readonly ParamValue[] | { readonly [key: string]: ParamValue };

/** How much of a value one summarising pass keeps. */
interface Detail {
  /** Nesting kept below the top level; deeper arrays and maps become a short description. */
  depth: number;
  /** Items kept of an array (a `"… N more"` text follows when some are left out). */
  items: number;
  /** Keys kept of a nested map. */
  keys: number;
  /** Longest text kept, as a share of the budget. */
  textShare: number;
}

// From most to least detail; the first pass whose JSON fits the budget wins.
const DETAILS: readonly Detail[] = [
  { depth: 3, items: 10, keys: 20, textShare: 1 },
  { depth: 2, items: 4, keys: 8, textShare: 0.25 },
  { depth: 0, items: 0, keys: 0, textShare: 0.1 },
];

const MIN_TEXT_CHARS = 16;
const MORE_KEY = "…";

/**
 * `params` summarised so that its JSON takes at most about `maxChars` characters: texts are cut (ending in "…"),
 * arrays keep their first items followed by `"… N more"`, nested maps keep their first keys followed by
 * `"…": "N more keys"`, values nested too deep become `"[N items]"` / `"{N keys}"`, and when even that is too long the
 * last parameters are left out, counted under the key `"…"`.
 */
export function summariseParams(params: { readonly [key: string]: ParamValue }, maxChars: number): { [key: string]: ProtocolJson } {
  const entries = Object.entries(params);
  let summary: { [key: string]: ProtocolJson } = {};
  for (const detail of DETAILS) {
    summary = {};
    for (const [key, value] of entries) summary[shorten(key, 100)] = summariseValue(value, detail, 1, maxChars);
    if (JSON.stringify(summary).length <= maxChars) return summary;
  }
  // Still too long: keep the leading parameters that fit and count the rest.
  const kept: { [key: string]: ProtocolJson } = {};
  const keys = Object.keys(summary);
  for (let i = 0; i < keys.length; i++) {
    kept[keys[i]] = summary[keys[i]];
    const left = keys.length - i - 1;
    if (JSON.stringify({ ...kept, [MORE_KEY]: `${left} more parameters` }).length > maxChars) {
      delete kept[keys[i]];
      break;
    }
  }
  const omitted = keys.length - Object.keys(kept).length;
  if (omitted > 0) kept[MORE_KEY] = `${omitted} more parameter${omitted === 1 ? "" : "s"}`;
  return kept;
}

function summariseValue(value: ParamValue, detail: Detail, depth: number, maxChars: number): ProtocolJson {
  if (value === null || typeof value === "boolean" || typeof value === "number") return value;
  if (typeof value === "string") return shorten(value, Math.max(MIN_TEXT_CHARS, Math.floor(maxChars * detail.textShare)));
  if (isParamArray(value)) {
    if (depth > detail.depth || detail.items === 0) return `[${value.length} item${value.length === 1 ? "" : "s"}]`;
    const kept = value.slice(0, detail.items).map((item) => summariseValue(item, detail, depth + 1, maxChars));
    if (value.length > detail.items) kept.push(`… ${value.length - detail.items} more`);
    return kept;
  }
  const entries = Object.entries(value);
  if (depth > detail.depth || detail.keys === 0) return `{${entries.length} key${entries.length === 1 ? "" : "s"}}`;
  const out: { [key: string]: ProtocolJson } = {};
  for (const [key, item] of entries.slice(0, detail.keys)) out[shorten(key, 100)] = summariseValue(item, detail, depth + 1, maxChars);
  if (entries.length > detail.keys) out[MORE_KEY] = `${entries.length - detail.keys} more keys`;
  return out;
}

function isParamArray(value: ParamValue): value is readonly ParamValue[] {
  return Array.isArray(value);
}
