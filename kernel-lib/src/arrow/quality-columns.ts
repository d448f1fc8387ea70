/**
 * The curation and quality columns of the units table: the unit's label, the metrics of `computeQualityMetrics`
 * and the `.cmtr`'s own isolation scores from `unit_meta`. A column appears only when at least one unit has a value
 * for it, so a table before curation or before the metrics carries no empty columns.
 */
import type { Vector } from "apache-arrow";
import { isNumericArray, isSessionMap, type SessionValue } from "../hdf5/values";
import type { PipelineSession } from "../session/session";
import { QUALITY_FEATURE, QUALITY_METRIC_NAMES } from "../quality/metrics";
import { CURATION_LABEL_KEY, unitLabel } from "../quality/curation";
import { float64Vector, utf8Vector } from "./columns";

/** The feature `computeQualityMetrics` writes (its scalars become the columns below, not `quality_metrics.*`). */
export const QUALITY_FEATURE_NAME = QUALITY_FEATURE;

/** Isolation scores the MCS spike sorter writes in Unit Info (lower-cased in `unit_meta`); SNR has its own column. */
export const CMTR_SCORE_COLUMNS = ["isoinn", "isoibg", "separability", "sdscore"] as const;

/** The quality columns that have a value for at least one of `unitIds`, in a fixed order. */
export function qualityColumns(session: PipelineSession, unitIds: readonly string[]): Record<string, Vector> {
  const columns: Record<string, Vector> = {};
  const labels = unitIds.map((unitId) => unitLabel(session, unitId));
  if (labels.some((label) => label !== null)) columns[CURATION_LABEL_KEY] = utf8Vector(labels);
  const metrics = unitIds.map((unitId) => {
    const features = session.units[unitId].features;
    const entry = isSessionMap(features) ? features[QUALITY_FEATURE_NAME] : undefined;
    return isSessionMap(entry) && isSessionMap(entry.data) ? entry.data : null;
  });
  for (const name of QUALITY_METRIC_NAMES) {
    if (name === "num_spikes" || name === "firing_rate") continue; // spike_count and mean_rate_hz already show them
    const values = metrics.map((data) => (data === null ? null : scalarNumber(data[name])));
    if (values.some((value) => value !== null)) columns[name] = float64Vector(values);
  }
  for (const name of CMTR_SCORE_COLUMNS) {
    const values = unitIds.map((unitId) => {
      const meta = session.units[unitId].unit_meta;
      return isSessionMap(meta) ? scalarNumber(meta[name]) : null;
    });
    if (values.some((value) => value !== null)) columns[name] = float64Vector(values);
  }
  return columns;
}

function scalarNumber(value: SessionValue): number | null {
  if (typeof value === "number") return value;
  if (isNumericArray(value) && value.length === 1) return Number(value[0]);
  return null;
}
