/**
 * Second-order sections (SOS), the filter form scipy recommends and the reference uses: one row
 * `[b0, b1, b2, a0, a1, a2]` per biquad, applied one after the other.
 */
import { ConfigurationError } from "../errors";
import { messages } from "./messages";

/** One biquad `[b0, b1, b2, a0, a1, a2]`: H(z) = (b0 + b1 z⁻¹ + b2 z⁻²) / (a0 + a1 z⁻¹ + a2 z⁻²). */
export type SosSection = readonly [number, number, number, number, number, number];

/**
 * Checks that every section holds six finite numbers with a0 = 1 (scipy's `sosfilt` demands normalised
 * sections too); throws ConfigurationError otherwise.
 */
export function checkSos(sos: readonly SosSection[]): void {
  if (sos.length === 0) throw new ConfigurationError(messages.emptySos());
  sos.forEach((section, index) => {
    if (section.length !== 6 || section.some((c) => !Number.isFinite(c)) || section[3] !== 1) {
      throw new ConfigurationError(messages.badSection(index));
    }
  });
}

/**
 * The edge padding scipy's `sosfiltfilt` uses by default:
 * `3 · (2·sections + 1 − min(#sections with b2 = 0, #sections with a2 = 0))` — 9 for one biquad.
 */
export function sosfiltfiltPadLength(options: { sos: readonly SosSection[] }): number {
  const { sos } = options;
  const zeroB2 = sos.filter((s) => s[2] === 0).length;
  const zeroA2 = sos.filter((s) => s[5] === 0).length;
  return 3 * (2 * sos.length + 1 - Math.min(zeroB2, zeroA2));
}
