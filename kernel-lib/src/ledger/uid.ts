/**
 * Run uids: the uid number zero-padded to a width. A number too big for the width gets more digits instead of
 * wrapping or colliding ("9999" → "10000"); runs are ordered by `uidNumber`, never by the uid text, so order stays
 * right after widening.
 */

/** Default number of digits of a uid ("0000"). */
export const DEFAULT_UID_WIDTH = 4;

export function formatUid(uidNumber: number, width: number): string {
  return String(uidNumber).padStart(width, "0");
}

/** The number of a uid text, or undefined if it is not a uid. */
export function parseUid(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}
