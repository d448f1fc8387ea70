import { Float64, Int64, Table, makeVector } from "apache-arrow";
import { MissingInputError } from "../errors";
import { isNumericArray, type SessionValue } from "../hdf5/values";
import type { PipelineSession } from "../session/session";
import { messages } from "./messages";

/**
 * The spikes of one unit as an Arrow table: `sample_index` (int64, exact, as in the HDF5 file) and, when the session
 * knows `metadata.acquisition_rate`, `time_s` (float64 seconds from the recording start). Throws
 * `MissingInputError` for an unknown unit or a unit without `spike_times`.
 */
export function spikesTable(session: PipelineSession, unitId: string): Table {
  const unit = session.units[unitId];
  if (unit === undefined) throw new MissingInputError(unitId, messages.unitNotFound(unitId, Object.keys(session.units)));
  const spikes = unit.spike_times;
  if (!isNumericArray(spikes)) throw new MissingInputError(`units.${unitId}.spike_times`, messages.noSpikeTimes(unitId));
  const samples = new BigInt64Array(spikes.length);
  for (let i = 0; i < spikes.length; i++) samples[i] = BigInt(Math.round(Number(spikes[i])));
  const columns: Record<string, ReturnType<typeof makeVector>> = { sample_index: makeVector({ type: new Int64(), data: samples }) };
  const rate = acquisitionRate(session.metadata.acquisition_rate);
  if (rate !== null) {
    const seconds = new Float64Array(spikes.length);
    for (let i = 0; i < spikes.length; i++) seconds[i] = Number(spikes[i]) / rate;
    columns.time_s = makeVector({ type: new Float64(), data: seconds });
  }
  return new Table(columns);
}

function acquisitionRate(value: SessionValue): number | null {
  const rate = typeof value === "number" ? value : isNumericArray(value) && value.length === 1 ? Number(value[0]) : null;
  return rate !== null && rate > 0 ? rate : null;
}

