/**
 * Sequence numbers of display payloads: microseconds since the epoch from the monotonic clock, so they grow within a
 * process and are larger after a kernel restart too (a frontend keeps the payload with the highest `seq`).
 */
export function clockSeq(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/** The next sequence number after `previous`: the clock's, or `previous + 1` when the clock has not moved on. */
export function nextSeq(previous: number): number {
  return Math.max(clockSeq(), previous + 1);
}
