/**
 * MCS sensor numbering (mcs-file-format.md §1.5): `SensorID = 65 × (column − 1) + row`, all 1-based, row varying
 * fastest. A frame of `SensorData` is stored as `[column − 1][row − 1]`, so on the full chip the C-order index of a
 * sensor inside one frame is `SensorID − 1`.
 */

/** Sensors per side of the CMOS-MEA5000 chip. */
export const CHIP_SIDE = 65;

/** The 1-based SensorID of a 1-based (row, column). */
export function sensorIdOf(row: number, column: number): number {
  return CHIP_SIDE * (column - 1) + row;
}

/** The 1-based (row, column) of a 1-based SensorID. */
export function rowColumnOf(sensorId: number): { row: number; column: number } {
  return { row: ((sensorId - 1) % CHIP_SIDE) + 1, column: Math.floor((sensorId - 1) / CHIP_SIDE) + 1 };
}
