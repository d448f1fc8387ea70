/**
 * Overlapping blocks of sensor data for the eimage, read once, in order: the eimage asks for blocks [start, end)
 * that move forward and overlap their predecessor (the filter's settling margin); this reader keeps only the rows a
 * later block can still need, so memory stays at about one block. int16 recordings are read as raw counts straight
 * into the block buffer (`openSensorCounts`); others as µV through `sensorChunks`.
 */
import { openSensorCounts, sensorChunks, type SensorScale } from "../io/cmcr-reader";

/** A reader of increasing, possibly overlapping sample ranges; call `close` when done. */
export interface SensorBlockReader {
  /** Values per sample (electrodes of the recorded region). */
  readonly electrodes: number;
  /** The µV scale of the counts when the blocks are raw int16 counts; undefined when they are µV already. */
  readonly scale: SensorScale | undefined;
  /**
   * Samples [start, end), sample-major; `start` must not decrease between calls; the view (of a SharedArrayBuffer)
   * is valid until the next call.
   */
  read(range: { start: number; end: number }): Promise<Float32Array | Int16Array>;
  close(): Promise<void>;
}

/** Rows [start, end) of the stream written into `target` from its start. */
type RowSource = (start: number, end: number, target: Float32Array | Int16Array) => Promise<void> | void;

/** Opens `cmcrPath` and serves blocks from its sensor stream up to `endSample`, reading `readSamples` at a time. */
export async function openSensorBlocks(options: {
  cmcrPath: string;
  endSample: number;
  readSamples: number;
  electrodes: number;
  /** The longest block that will be asked for: the buffer is allocated once at that size (no transient copies). */
  maxBlockSamples: number;
  /** Serve the stored int16 ADC counts unconverted (the caller applies `scale`) instead of µV. */
  counts: boolean;
}): Promise<SensorBlockReader> {
  const { electrodes, endSample, readSamples } = options;
  const Block = options.counts ? Int16Array : Float32Array;
  // Rows [bufferStart, bufferEnd) of the stream, in `buffer` from offset 0. Shared memory: the eimage's worker
  // threads copy their electrodes straight out of the block. Allocated once, for the longest block plus one read,
  // before the file is opened (so a failed allocation leaves nothing open).
  const buffer: Float32Array | Int16Array = new Block(new SharedArrayBuffer((options.maxBlockSamples + readSamples) * electrodes * Block.BYTES_PER_ELEMENT));
  let source: RowSource;
  let scale: SensorScale | undefined;
  let closeSource: () => Promise<void>;
  if (options.counts) {
    const stream = await openSensorCounts({ cmcrPath: options.cmcrPath });
    scale = stream.scale;
    source = (start, end, target) => stream.readInto(start, end, target as Int16Array);
    closeSource = async () => stream.close();
  } else {
    const chunks = sensorChunks({ cmcrPath: options.cmcrPath, chunkSamples: readSamples, endSample });
    source = async (start, end, target) => {
      const next = await chunks.next();
      if (next.done || next.value.startSample !== start || next.value.endSample !== end) throw new Error(`sensor rows ${start}–${end} out of order`);
      target.set(next.value.data);
    };
    closeSource = async () => void (await chunks.return(undefined));
  }
  let bufferStart = 0;
  let bufferEnd = 0;
  return {
    electrodes,
    scale,
    async read({ start, end }) {
      if (start > bufferStart) {
        const keep = Math.max(0, bufferEnd - start);
        buffer.copyWithin(0, (bufferEnd - keep - bufferStart) * electrodes, (bufferEnd - bufferStart) * electrodes);
        bufferStart = bufferEnd - keep;
      }
      while (bufferEnd < Math.min(end, endSample)) {
        const rows = Math.min(readSamples, endSample - bufferEnd);
        const used = (bufferEnd - bufferStart) * electrodes;
        if (used + rows * electrodes > buffer.length) throw new Error(`sensor block ${start}–${end} skips rows after ${bufferEnd} or exceeds ${options.maxBlockSamples} samples`);
        await source(bufferEnd, bufferEnd + rows, buffer.subarray(used, used + rows * electrodes));
        bufferEnd += rows;
      }
      const from = Math.max(start, bufferStart);
      // A view, valid until the next call (the eimage is done with a block before it asks for the next one).
      return buffer.subarray((from - bufferStart) * electrodes, (Math.min(end, bufferEnd) - bufferStart) * electrodes);
    },
    close: closeSource,
  };
}
