/**
 * Writing objects the way MCS files carry them (mcs-file-format.md §0.1–§0.3, §4.4): four identity attributes on
 * every group and dataset, strings as scalar fixed-length strings, numbers as 1-element arrays.
 */
import type { H5Dataset, H5Group } from "../hdf5/bridge";
import { randomGuid, type Random } from "./prng";

/** MCS type GUIDs of the objects the simulator writes. */
export const TYPE_ID = {
  root: "cabb6cdd-47e0-417a-8e04-5664cbbc449b",
  acquisition: "650d88ce-9f24-4b20-ac2b-254defd12761",
  channelStream: "9217aeb4-59a0-4d7f-bdcd-0371c9fd66eb",
  channelData: "5efe7932-dcfe-49ff-ba53-25accff5d622",
  channelMeta: "9e8ac9cd-5571-4ee5-bbfa-8e9d9c436daa",
  sensorStream: "15e5a1fe-df2f-421b-8b60-23eeb2213c45",
  sensorData: "49da47df-f397-4121-b5da-35317a93e705",
  sensorMeta: "ab2aa189-2e72-4148-a2ef-978119223412",
  spikeSorter: "7263d1b7-f57a-42de-8f51-5d6326d22f2a",
  units: "7cffd022-c99e-42c2-b9f7-f79be7b4dfe6",
  unit: "0e5a97df-9de0-4a22-ab8c-54845c1ff3b9",
  peaks: "147721c1-1ca8-4a16-b697-08fbefddc180",
  roiStas: "58c6e2a7-281c-4ace-884c-69f706bbc75e",
  unmixing: "1dc2e95d-f66e-4a95-b3f9-a40da9533601",
  unitInfo: "ae5e3dbc-cca6-4565-8647-e681821a1801",
} as const;

/** A scalar fixed-length string attribute (McsPy calls `.decode()` on it). */
export function writeTextAttribute(target: H5Group | H5Dataset, name: string, value: string): void {
  target.create_attribute(name, value, null, `S${Math.max(1, Buffer.byteLength(value, "utf8"))}`);
}

/** A shape-(1,) numeric attribute (McsPy indexes `[0]`). */
export function writeNumberAttribute(target: H5Group | H5Dataset, name: string, value: number, dtype: "<i" | "<q" | "<d"): void {
  target.create_attribute(name, [value], [1], dtype);
}

/** The four `ID.*` attributes; the instance GUID comes from the simulation's identity stream. */
export function writeIdentity(target: H5Group | H5Dataset, type: string, typeId: string, instance: string, ids: Random): void {
  writeTextAttribute(target, "ID.Type", type);
  writeTextAttribute(target, "ID.TypeID", typeId);
  writeTextAttribute(target, "ID.Instance", instance);
  writeTextAttribute(target, "ID.InstanceID", randomGuid(ids));
}
