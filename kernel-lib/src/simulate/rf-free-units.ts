/**
 * Units planted without a receptive field: they fire at their dark rate whatever the screen shows, so an RF
 * analysis must find nothing significant in them. Their RF parameters are still drawn (the random streams of the
 * other units stay the same) and then cleared, and the ground truth records `planted: false`.
 */
import type { SimulatedUnit } from "./units-model";

/** `units` with the last `count` of them stripped of their receptive field (spatial weights all zero). */
export function withoutReceptiveFields(units: readonly SimulatedUnit[], count: number): SimulatedUnit[] {
  const first = Math.max(0, units.length - count);
  return units.map((unit, index) =>
    index < first ? unit : { ...unit, rf: { ...unit.rf, planted: false, spatial: new Float64Array(unit.rf.spatial.length) } },
  );
}
