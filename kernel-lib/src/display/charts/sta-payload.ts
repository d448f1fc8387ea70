/**
 * The STA payload (`application/vnd.hdmea.sta.v1+json`) of an STA chart: the frames of every unit that has the same
 * STA feature, so the interactive viewer's unit picker can move between units without asking the kernel. The
 * vega-lite spec and the SVG stay in the bundle as the fallback.
 *
 *   units' NdArrays (same shape) ──size check──▶ float32 little-endian bytes ──base64──▶ StaPayload | null
 */
import type { NdArray } from "../../hdf5/values";
import { staPeak } from "../../dsp/sta-peak";
import { STA_PAYLOAD_MAX_BYTES, type StaPayload, type StaUnitPeak } from "../protocol";

/** One unit's STA, frames × rows × cols. */
export interface UnitSta {
  unitId: string;
  sta: NdArray;
}

/** Options of {@link staPayload}. */
export interface StaPayloadOptions {
  /** The unit the viewer shows first; its shape decides which other units fit in. */
  selected: UnitSta;
  /** Every unit with the feature, in session order (the selected one included or not). */
  units: readonly UnitSta[];
  feature: string;
  /** Offset of the first frame in stimulus frames relative to the spike (the cover range's start). */
  firstFrameOffset: number;
  title: string;
  /** Upper bound of the base64 frames. Default {@link STA_PAYLOAD_MAX_BYTES} (4 MiB). */
  maxBytes?: number;
}

/**
 * The STA payload, or null when the frames of the units of the selected unit's shape would take more than
 * `maxBytes` as base64 (the chart is then sent without it). Units whose STA has another shape are left out.
 */
export function staPayload(options: StaPayloadOptions): StaPayload | null {
  const shape = options.selected.sta.shape;
  if (shape.length !== 3) return null;
  const sameShape = (sta: NdArray) => sta.shape.length === 3 && sta.shape.every((dim, i) => dim === shape[i]);
  const units = options.units.some((unit) => unit.unitId === options.selected.unitId) ? options.units : [options.selected, ...options.units];
  const included = units.filter((unit) => sameShape(unit.sta));
  const valuesPerUnit = shape[0] * shape[1] * shape[2];
  // Checked before encoding: base64 of n bytes is 4 · ⌈n / 3⌉ characters.
  const base64Bytes = included.length * 4 * Math.ceil((valuesPerUnit * 4) / 3);
  if (base64Bytes > (options.maxBytes ?? STA_PAYLOAD_MAX_BYTES)) return null;
  return {
    schema: 1,
    shape: [shape[0], shape[1], shape[2]],
    firstFrameOffset: options.firstFrameOffset,
    feature: options.feature,
    selectedUnitId: options.selected.unitId,
    units: included.map((unit) => ({ unitId: unit.unitId, base64: float32LittleEndianBase64(unit.sta), peak: unitPeak(unit.sta) })),
    title: options.title,
  };
}

/** The unit's `staPeak`, as the viewer reads it. */
function unitPeak(sta: NdArray): StaUnitPeak | null {
  const peak = staPeak(sta);
  return peak === null ? null : { frame: peak.frame, row: peak.row, col: peak.col, zScore: Number(peak.zScore.toFixed(3)), polarity: peak.polarity };
}

/** The values as float32, little-endian whatever the machine, base64. */
function float32LittleEndianBase64(sta: NdArray): string {
  const data = sta.data as ArrayLike<number | bigint>;
  const view = new DataView(new ArrayBuffer(data.length * 4));
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, Number(data[i]), true);
  return Buffer.from(view.buffer).toString("base64");
}
