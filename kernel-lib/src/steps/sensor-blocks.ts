/**
 * Overlapping blocks of sensor data for the eimage, read once, in order, through `sensorChunks`: the eimage asks
 * for blocks [start, end) that move forward and overlap their predecessor (the filter's settling margin); this
 * reader keeps only the rows a later block can still need, so memory stays at about one block.
 */
import { sensorChunks, sensorCountChunks } from "../io/cmcr-reader";

/** A reader of increasing, possibly overlapping sample ranges; call `close` when done. */
export interface SensorBlockReader {
  /** Values per sample (electrodes of the recorded region). */
  readonly electrodes: number;
  /**
   * Samples [start, end), sample-major; `start` must not decrease between calls; the view (of a SharedArrayBuffer)
   * is valid until the next call.
   */
  read(range: { start: number; end: number }): Promise<Float32Array | Int16Array>;
  close(): Promise<void>;
}

/** Opens `cmcrPath` and serves blocks from its sensor stream up to `endSample`, reading `readSamples` at a time. */
export function openSensorBlocks(options: {
  cmcrPath: string;
  endSample: number;
  readSamples: number;
  electrodes: number;
  /** The longest block that will be asked for: the buffer is allocated once at that size (no transient copies). */
  maxBlockSamples: number;
  /** Serve the stored int16 ADC counts unconverted (the caller applies the µV scale) instead of µV. */
  counts?: boolean;
}): SensorBlockReader {
  const { electrodes } = options;
  const source = { cmcrPath: options.cmcrPath, chunkSamples: options.readSamples, endSample: options.endSample };
  const chunks: AsyncGenerator<{ startSample: number; endSample: number; data: Float32Array | Int16Array }, void, undefined> =
    options.counts === true ? sensorCountChunks(source) : sensorChunks(source);
  const Block = options.counts === true ? Int16Array : Float32Array;
  // Rows [bufferStart, bufferEnd) of the stream, in `buffer` from offset 0.
  let buffer: Float32Array | Int16Array = new Block(0);
  const capacity = (options.maxBlockSamples + options.readSamples) * electrodes;
  let bufferStart = 0;
  let bufferEnd = 0;
  return {
    electrodes,
    async read({ start, end }) {
      if (start > bufferStart) {
        const keep = Math.max(0, bufferEnd - start);
        buffer.copyWithin(0, (bufferEnd - keep - bufferStart) * electrodes, (bufferEnd - bufferStart) * electrodes);
        bufferStart = bufferEnd - keep;
        if (keep === 0) bufferStart = bufferEnd;
      }
      while (bufferEnd < end) {
        const next = await chunks.next();
        if (next.done) break;
        const rows = next.value.endSample - next.value.startSample;
        const used = (bufferEnd - bufferStart) * electrodes;
        if (buffer.length < used + rows * electrodes) {
          // Shared memory: the eimage's worker threads copy their electrodes straight out of the block.
          const length = Math.max(used + rows * electrodes, (end - bufferStart) * electrodes, capacity);
          const grown = new Block(new SharedArrayBuffer(length * Block.BYTES_PER_ELEMENT));
          grown.set(buffer.subarray(0, used));
          buffer = grown;
        }
        buffer.set(next.value.data, used);
        bufferEnd += rows;
      }
      const from = Math.max(start, bufferStart);
      // A view, valid until the next call (the eimage is done with a block before it asks for the next one).
      return buffer.subarray((from - bufferStart) * electrodes, (Math.min(end, bufferEnd) - bufferStart) * electrodes);
    },
    async close() {
      await chunks.return(undefined);
    },
  };
}
