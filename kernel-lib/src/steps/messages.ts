/** Messages of the steps folder, in one place. */
export const messages = {
  noTarget: (step: string) =>
    `${step}: pass either { session } (work in memory) or { hdf5Path } (load the file, run, save it back), not both and not neither.`,
  prerequisiteMissing: (step: string, anyOf: readonly string[], hint: string) =>
    `${step} needs ${anyOf.length === 1 ? `'${anyOf[0]}'` : `one of ${anyOf.map((s) => `'${s}'`).join(", ")}`} to have completed first. ${hint}`,
  unknownOption: (step: string, option: string, known: readonly string[]) =>
    `${step}: unknown option '${option}'. Known options: ${known.join(", ")}.`,
};
