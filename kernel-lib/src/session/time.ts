/**
 * Timestamps in the reference's Python form (reference §0.3, §9 #16): `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`, UTC,
 * microseconds and an explicit offset, so files written here sort and parse like the reference's.
 */
export function nowIso(epochMs: number = performance.timeOrigin + performance.now()): string {
  const wholeMs = Math.floor(epochMs);
  const micros = Math.min(999, Math.floor((epochMs - wholeMs) * 1000));
  const base = new Date(wholeMs).toISOString(); // 2025-12-28T10:00:00.123Z
  return `${base.slice(0, 23)}${String(micros).padStart(3, "0")}+00:00`;
}
