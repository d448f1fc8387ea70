/** Messages of the io folder, in one place (STYLE §2.5 habit 3). Each names the input and says what to do next. */
export const messages = {
  fileNotFound: (kind: string, file: string) =>
    `${kind} file not found: ${file}. Check the path (relative paths start at the current working directory).`,
  wrongExtension: (expected: string, file: string) =>
    `Expected a ${expected} file, got: ${file}. Pass the ${expected} file of the recording.`,
  notHdf5: (file: string) =>
    `'${file}' is not an HDF5 file (no HDF5 signature found). MCS .cmcr/.cmtr files are HDF5; check that the ` +
    `file was copied completely and is the right one.`,
  cannotOpen: (file: string, detail: string) =>
    `'${file}' looks like HDF5 but cannot be opened; it may be truncated or damaged (${detail}). ` +
    `Copy the file again from the acquisition computer.`,
  cannotRead: (file: string, path: string, detail: string) =>
    `Reading '${path}' of '${file}' failed; the file may be truncated or damaged (${detail}). ` +
    `Copy the file again from the acquisition computer.`,
  missingGroup: (file: string, path: string, what: string) =>
    `'${file}' has no '${path}' (${what}). Check that this is the right file, e.g. a .cmtr written by ` +
    `CMOS-MEA-Tools after spike sorting.`,
  unitWithoutPeaks: (file: string, path: string) =>
    `Unit group '${path}' of '${file}' has no Peaks table. Re-export the spike sorting, or remove the unit.`,
  peaksWrongType: (file: string, path: string, found: string) =>
    `'${path}' of '${file}' is not a Peaks table with Timestamp, PeakAmplitude and IncludePeak fields ` +
    `(found ${found}). Check that the file was written by CMOS-MEA-Tools.`,
  noAnalogData: (file: string) =>
    `'${file}' has no analog stream ('/Acquisition/Analog Data/ChannelData 1'), so there is no light reference or ` +
    `frame sync. Record with the auxiliary analog inputs switched on, or pass only the .cmtr.`,
  noSensorData: (file: string) =>
    `'${file}' has no sensor data ('/Acquisition/Sensor Data/SensorData 1 1'). Use the raw .cmcr of the recording.`,
  noSensorMeta: (file: string) =>
    `'${file}' has no SensorMeta table with Tick, Exponent, Unit and Conversion Factors, so sensor values cannot be ` +
    `converted to µV. Use the .cmcr exactly as CMOS-MEA-Control wrote it.`,
  unknownVoltageUnit: (file: string, unit: string) =>
    `'${file}' gives the sensor unit '${unit}'; only V, mV and µV are understood.`,
  badConversionFactors: (file: string, count: number, expected: number) =>
    `'${file}' lists ${count} conversion factors in SensorMeta but the sensor region has ${expected} sensors; ` +
    `the file's metadata is inconsistent.`,
  analogChannelOutOfRange: (file: string, channel: number, count: number) =>
    `Analog channel ${channel} does not exist in '${file}' (channels 1…${count}). Channel 1 is the light ` +
    `reference and channel 2 the frame sync.`,
  sampleRangeInvalid: (what: string, start: number, end: number, length: number) =>
    `Invalid ${what} sample range [${start}, ${end}): it must satisfy 0 ≤ start ≤ end ≤ ${length} with whole numbers.`,
  gridRangeInvalid: (axis: string, first: number, last: number, lo: number, hi: number) =>
    `Invalid ${axis} range [${first}, ${last}]: the recorded region spans ${axis}s ${lo}…${hi} (1-based, inclusive).`,
  chunkSizeInvalid: (value: number) => `chunkSamples must be a whole number ≥ 1, got ${value}.`,
  // .npy
  npyNotNpy: (file: string) => `'${file}' is not a NumPy .npy file (no \\x93NUMPY magic). Save the array with numpy.save().`,
  npyVersion: (file: string, major: number, minor: number) =>
    `'${file}' uses .npy format version ${major}.${minor}; only versions 1.0 and 2.0 are read. Re-save it with ` +
    `numpy.save() (numpy writes 1.0 when it can).`,
  npyHeader: (file: string, detail: string) => `'${file}' has an unreadable .npy header (${detail}).`,
  npyFortran: (file: string) =>
    `'${file}' is stored in Fortran order; only C order is read. Re-save it with numpy.save(path, ` +
    `numpy.ascontiguousarray(array)).`,
  npyDtype: (file: string, descr: string) =>
    `'${file}' has dtype '${descr}'; only uint8, int16, int32, float32 and float64 (little-endian) are read. ` +
    `Convert it with array.astype(...) before saving.`,
  npyTruncated: (file: string, expected: number, found: number) =>
    `'${file}' is truncated: its header announces ${expected} data bytes but the file holds ${found}.`,
  npyWriteShape: (shape: readonly number[], length: number) =>
    `Cannot write .npy: shape [${shape.join(", ")}] holds ${shape.reduce((a, b) => a * b, 1)} elements but the data ` +
    `has ${length}.`,
  // stimulus configs
  csvMissingColumn: (file: string, column: string, found: readonly string[]) =>
    `'${file}' has no column '${column}' in its header (found: ${found.join(", ") || "nothing"}). The header row ` +
    `must name it.`,
  csvBadCell: (file: string, row: number, column: string, value: string, expected: string) =>
    `'${file}', row ${row}, column '${column}': ${JSON.stringify(value)} is not ${expected}.`,
  csvUnterminatedQuote: (file: string, row: number) => `'${file}', row ${row}: a double quote is never closed.`,
  jsonInvalid: (file: string, detail: string) => `Invalid JSON in '${file}': ${detail}. Fix the file's syntax.`,
  stimulusConfigField: (file: string, field: string, value: unknown, expected: string) =>
    `'${file}': section_kwargs.${field} is ${JSON.stringify(value)}, but it must be ${expected}.`,
  stimulusConfigMissing: (file: string) =>
    `'${file}' has no 'section_kwargs' object. A stimulus config needs section_kwargs with start_frame, ` +
    `trial_length_frame and repeat.`,
};
