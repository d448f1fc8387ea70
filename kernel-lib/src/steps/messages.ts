/** Messages of the steps folder, in one place. */
export const messages = {
  noTarget: (step: string) =>
    `${step}: pass either { session } (work in memory) or { hdf5Path } (load the file, run, save it back), not both and not neither.`,
  prerequisiteMissing: (step: string, anyOf: readonly string[], hint: string) =>
    `${step} needs ${anyOf.length === 1 ? `'${anyOf[0]}'` : `one of ${anyOf.map((s) => `'${s}'`).join(", ")}`} to have completed first. ${hint}`,
  unknownOption: (step: string, option: string, known: readonly string[]) => {
    const near = nearestName(option, known);
    const hint = near === undefined ? "" : `Did you mean '${near}'? `;
    return `${hint}${step}: unknown option '${option}'. Known options: ${known.join(", ")}.`;
  },
};

/**
 * The known name a mistyped option most likely meant: the same letters ignoring case and `_`/`-` (`cover_range` →
 * `coverRange`), else the closest by edit distance when it is at most a third of the name's length.
 */
export function nearestName(given: string, known: readonly string[]): string | undefined {
  const fold = (name: string) => name.toLowerCase().replace(/[_-]/g, "");
  const same = known.find((name) => fold(name) === fold(given));
  if (same !== undefined) return same;
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(fold(given), fold(name));
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  return best !== undefined && best.distance <= Math.max(1, Math.floor(given.length / 3)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
