/**
 * The spike trains of the reference's extractor tests (hdmea-pipeline.md §3.9.5, §3.9.6, §5.1), rebuilt from
 * their description so the golden values can be checked. Times are whole µs; at 20 kHz every spike falls on a
 * whole sample (µs / 50).
 */

/**
 * The step-up test train: 5/s baseline for [0, 5 s), a 100/s ON burst for [5, 5.5 s), 10/s sustained for
 * [5.5, 10 s), 5/s after for [10, 15 s) — 145 spikes, 120 of them before 10 s, the last at 14.8 s.
 */
export function stepUpTrainUs(): number[] {
  const train: number[] = [];
  for (let k = 0; k < 25; k++) train.push(k * 200_000);
  for (let k = 0; k < 50; k++) train.push(5_000_000 + k * 10_000);
  for (let k = 0; k < 45; k++) train.push(5_500_000 + k * 100_000);
  for (let k = 0; k < 25; k++) train.push(10_000_000 + k * 200_000);
  return train;
}

/** µs → samples for trains on a 50-µs grid (exact at 20 kHz). */
export function usToSamples20k(timesUs: readonly number[]): Float64Array {
  return Float64Array.from(timesUs, (us) => us / 50);
}
