/**
 * Curation labels: a unit is labelled "keep" or "reject" (or not at all). The label lives in the unit's map as
 * `curation_label`, which the session writer stores as a text attribute of the unit group
 * (`/units/<id>` attribute `curation_label`, h5py: `f["units/unit_001"].attrs["curation_label"]`).
 *
 * Steps that work unit by unit skip rejected units unless their `includeRejected` option is true, and say so in a
 * warning; `unitsTable(session, { hideRejected: true })` leaves them out of the table.
 */
import { ConfigurationError } from "../errors";
import type { PipelineSession } from "../session/session";
import { defineStep } from "../steps/define-step";
import { messages } from "./messages";

/** The labels a unit can carry. */
export const UnitLabel = { KEEP: "keep", REJECT: "reject" } as const;
export type UnitLabel = (typeof UnitLabel)[keyof typeof UnitLabel];

/** The unit key (and HDF5 attribute) holding the label. */
export const CURATION_LABEL_KEY = "curation_label";

/** The label of one unit, or null when it has none (or an unknown one). */
export function unitLabel(session: PipelineSession, unitId: string): UnitLabel | null {
  const value = session.units[unitId]?.[CURATION_LABEL_KEY];
  return value === UnitLabel.KEEP || value === UnitLabel.REJECT ? value : null;
}

/** The ids of the units labelled "reject", in session order. */
export function rejectedUnitIds(session: PipelineSession): string[] {
  return Object.keys(session.units).filter((unitId) => unitLabel(session, unitId) === UnitLabel.REJECT);
}

/**
 * The units a per-unit step works on: every unit, minus the rejected ones unless `includeRejected`; skipping adds
 * one warning naming them (and the option that includes them).
 */
export function unitIdsForStep(options: {
  session: PipelineSession;
  includeRejected: boolean;
  stepName: string;
  warn: (message: string) => void;
}): string[] {
  const all = Object.keys(options.session.units);
  if (options.includeRejected) return all;
  const rejected = new Set(rejectedUnitIds(options.session));
  if (rejected.size > 0) options.warn(messages.rejectedSkipped(options.stepName, [...rejected]));
  return all.filter((unitId) => !rejected.has(unitId));
}

/** Options of {@link labelUnits}. */
export interface LabelUnitsOptions {
  /** The units to label, e.g. the result of `selectUnits`. */
  unitIds: readonly string[];
  /** "keep" (the default), "reject", or null to clear the label. */
  label: UnitLabel | null;
}

/**
 * Labels units "keep" or "reject" (or clears their label with `label: null`). The labels are saved with the
 * session; rejected units are skipped by later per-unit steps (unless `includeRejected: true`) and can be hidden
 * from `unitsTable`. Unknown unit ids are a `ConfigurationError` and nothing is labelled.
 *
 * @example await labelUnits({ session, unitIds: selectUnits({ session, where: { isi_violations_ratio: { min: 0.5 } } }), label: "reject" })
 */
export const labelUnits = defineStep<LabelUnitsOptions>({
  name: "label_units",
  defaults: { unitIds: [], label: UnitLabel.KEEP },
  validate: (options) => {
    if (!Array.isArray(options.unitIds) || options.unitIds.some((id) => typeof id !== "string")) {
      throw new ConfigurationError(messages.unitIdsNotList(options.unitIds));
    }
    const label = options.label as unknown;
    if (label !== null && label !== UnitLabel.KEEP && label !== UnitLabel.REJECT) throw new ConfigurationError(messages.badLabel(label));
  },
  run: ({ session, options }) => {
    const known = Object.keys(session.units);
    const unknown = options.unitIds.filter((unitId) => session.units[unitId] === undefined);
    if (unknown.length > 0) throw new ConfigurationError(messages.unknownUnits(unknown, known));
    const update: Record<string, { [CURATION_LABEL_KEY]: UnitLabel | null }> = {};
    for (const unitId of options.unitIds) update[unitId] = { [CURATION_LABEL_KEY]: options.label };
    if (options.unitIds.length > 0) session.addUnits(update);
  },
});
