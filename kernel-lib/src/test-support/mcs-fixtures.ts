/**
 * Tiny vendor-shaped MCS files for reader tests, written with h5wasm: each builder writes only what its test
 * needs, so a missing group or a wrongly typed table is exactly what the test is about.
 */
import { loadH5wasm, type H5File } from "../hdf5/bridge";

/** Writes a file with `build` and closes it. */
export async function writeH5(filePath: string, build: (file: H5File) => void): Promise<void> {
  const h5 = await loadH5wasm();
  const file = new h5.File(filePath, "w");
  try {
    build(file);
  } finally {
    file.close();
  }
}

function text(target: { create_attribute: H5File["create_attribute"] }, name: string, value: string): void {
  target.create_attribute(name, value, null, `S${Math.max(1, Buffer.byteLength(value))}`);
}

/** A .cmtr with a Spike Sorter holding the given units; `peaks: "none" | "array"` breaks one unit on purpose. */
export function buildCmtr(units: { number: number; peaks: "ok" | "none" | "array"; timestampsUs?: number[]; include?: number[] }[]) {
  return (file: H5File): void => {
    text(file, "ID.Type", "McsData");
    file.create_attribute("FileVersion", [1], [1], "<i");
    const sorter = file.create_group("Spike Sorter");
    text(sorter, "ID.Type", "SpikeSorter");
    for (const unit of units) {
      const group = sorter.create_group(`Unit ${unit.number}`);
      group.create_attribute("UnitID", [unit.number], [1], "<i");
      group.create_attribute("SensorID", [100 + unit.number], [1], "<i");
      if (unit.peaks === "array") group.create_dataset({ name: "Peaks", data: new Float64Array([1, 2, 3]) });
      if (unit.peaks === "ok") {
        const ts = unit.timestampsUs ?? [100, 250, 400];
        const include = unit.include ?? ts.map(() => 1);
        group.create_dataset({
          name: "Peaks",
          data: new Map<string, unknown>([
            ["Timestamp", BigInt64Array.from(ts.map(BigInt))],
            ["PeakAmplitude", Float64Array.from(ts, (_, i) => i + 0.5)],
            ["IncludePeak", Int32Array.from(include)],
            ["1", Float64Array.from(ts, (_, i) => 10 * i)],
            ["2", Float64Array.from(ts, (_, i) => 10 * i + 1)],
          ]),
          dtype: [
            ["Timestamp", "<q"],
            ["PeakAmplitude", "<d"],
            ["IncludePeak", "<i"],
            ["1", "<d"],
            ["2", "<d"],
          ],
        });
      }
    }
  };
}

/** A .cmcr with a sensor stream (optionally without SensorMeta) and optionally an analog stream. */
export function buildCmcr(options: {
  raw: Int16Array | Int32Array;
  shape: [number, number, number];
  region?: { left: number; top: number };
  conversionFactors?: string;
  exponent?: number;
  adZero?: number;
  sensorMeta?: boolean;
  analog?: Int32Array;
  /** Store the sensor data in chunks of this shape (default: contiguous), optionally gzip-compressed. */
  chunks?: [number, number, number];
  gzip?: boolean;
}) {
  return (file: H5File): void => {
    text(file, "ID.Type", "McsData");
    file.create_attribute("FileVersion", [1], [1], "<i");
    const [t, x, y] = options.shape;
    file.create_attribute("LB.RecordingDuration", [t * 50], [1], "<q");
    const acquisition = file.create_group("Acquisition");
    const sensor = acquisition.create_group("Sensor Data");
    const storage = options.chunks === undefined ? {} : { chunks: options.chunks, ...(options.gzip === true ? { compression: "gzip", compression_opts: 4 } : {}) };
    const dtype = options.raw instanceof Int32Array ? "<i" : "<h";
    sensor.create_dataset({ name: "SensorData 1 1", data: options.raw, shape: options.shape, dtype, ...storage });
    if (options.sensorMeta !== false) {
      const left = options.region?.left ?? 1;
      const top = options.region?.top ?? 1;
      const factors = options.conversionFactors ?? "500 ";
      const columns = new Map<string, unknown>([
        ["RegionID", Int32Array.of(1)],
        ["Region.Left", Int32Array.of(left)],
        ["Region.Top", Int32Array.of(top)],
        ["Region.Right", Int32Array.of(left + x - 1)],
        ["Region.Bottom", Int32Array.of(top + y - 1)],
        ["Tick", BigInt64Array.of(50n)],
        ["Exponent", Int32Array.of(options.exponent ?? -9)],
        ["Unit", ["V"]],
        ["Conversion Factors", [factors]],
      ]);
      const dtype: [string, string][] = [
        ["RegionID", "<i"],
        ["Region.Left", "<i"],
        ["Region.Top", "<i"],
        ["Region.Right", "<i"],
        ["Region.Bottom", "<i"],
        ["Tick", "<q"],
        ["Exponent", "<i"],
        ["Unit", "S1"],
        ["Conversion Factors", `S${factors.length}`],
      ];
      if (options.adZero !== undefined) {
        columns.set("ADZero", Int32Array.of(options.adZero));
        dtype.push(["ADZero", "<i"]);
      }
      sensor.create_dataset({ name: "SensorMeta", data: columns, dtype });
    }
    if (options.analog !== undefined) {
      const analog = acquisition.create_group("Analog Data");
      analog.create_dataset({ name: "ChannelData 1", data: options.analog, shape: [2, options.analog.length / 2], dtype: "<i" });
    }
  };
}
