/**
 * The intended differences from the reference implementation that the code records (a default, a constant, an
 * attribute or an extractor version), one entry per line of "Recorded in code" in
 * docs/differences-from-reference.md; `reference-differences.test.ts` checks each against the code, a written file
 * and the doc. Differences that show only in data are listed in the doc's "File differences" and checked by
 * test/test_reference_fidelity.py.
 */
export const REFERENCE_DIFFERENCES = [
  { id: "eimage-unit", reference: "eimage values in raw ADC counts", ours: "counts by default, `eimageUnit: \"uV\"` recorded as `unit`" },
  { id: "peak-cutouts", reference: "peaks_data holds every Peaks column", ours: "cut-out columns only with `peakCutouts: true`" },
  { id: "extractor-versions", reference: "baseline_127/example_feature 1.0.0 read sample indices as µs", ours: "2.0.0 with spike_time_base" },
  { id: "spike-time-unit", reference: "no unit on spike_times in session files", ours: "attribute unit = sample_index" },
  { id: "sta-axes", reference: "STA axes undescribed", ours: "attributes axes and frame_offsets" },
  { id: "waveform-unit", reference: "waveform unit undescribed", ours: "attribute unit = cmtr_cutout" },
  { id: "noise-movie-longer", reference: "a longer movie is used as far as shown", ours: "the same, with a warning" },
  { id: "int64-as-numbers", reference: "int64 read as numpy int64", ours: "numbers (Int64Numbers) saved again as int64" },
] as const;

/** Ids of {@link REFERENCE_DIFFERENCES}. */
export type ReferenceDifferenceId = (typeof REFERENCE_DIFFERENCES)[number]["id"];
