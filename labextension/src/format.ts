/** Number formatting shared by the panel and the renderers. */

const BYTE_UNITS = ["B", "KB", "MB", "GB", "TB"];

/** 1536 → "1.5 KB" (powers of 1024, as the session's memory estimate counts). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "?";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${BYTE_UNITS[unit]}`;
}

/** 12.3 → "12 ms", 4321 → "4.32 s", 125000 → "2 min 5 s"; null (still running) → "…". */
export function formatDuration(durationMs: number | null): string {
  if (durationMs === null) return "…";
  if (!Number.isFinite(durationMs) || durationMs < 0) return "?";
  if (durationMs < 1000) return `${Math.round(durationMs)} ms`;
  if (durationMs < 60_000) return `${(durationMs / 1000).toFixed(2)} s`;
  const totalS = Math.round(durationMs / 1000);
  return `${Math.floor(totalS / 60)} min ${totalS % 60} s`;
}

/** A table cell value as short text. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isInteger(value)) return String(value);
    return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
  }
  if (typeof value === "bigint" || typeof value === "boolean" || typeof value === "string") return String(value);
  if (value instanceof Date) return value.toISOString();
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    const shown = items.slice(0, 4).map(formatCell).join(", ");
    return `[${shown}${items.length > 4 ? `, … (${items.length})` : ""}]`;
  }
  if (typeof value === "object" && typeof (value as { toArray?: unknown }).toArray === "function") {
    return formatCell((value as { toArray: () => unknown }).toArray());
  }
  return JSON.stringify(value) ?? String(value);
}
