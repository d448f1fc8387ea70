/** Messages of the features folder, in one place. Each names the input and says what to do next. */
export const messages = {
  // registry (reference §3.9.1 texts where they exist)
  duplicate: (name: string, owner: string) =>
    `Feature '${name}' is already registered by ${owner}. Dispose the earlier registration (registration.dispose()) ` +
    `or register under another name.`,
  unknownFeature: (name: string, known: readonly string[]) =>
    `Unknown feature: '${name}'. Available features: ${known.length > 0 ? known.join(", ") : "(none)"}`,
  notAnExtractor: (value: string) => `Cannot register ${value}: an extractor is an object with name, version, defaults and extract().`,
  badName: (name: unknown) =>
    `Cannot register an extractor named ${JSON.stringify(name)}: use a non-empty name of letters, digits, '_', '.' ` +
    `or '-' (it becomes an HDF5 group name, features/<name>).`,
  incompleteExtractor: (name: string, problems: readonly string[]) =>
    `Cannot register extractor '${name}': it needs ${problems.join(", ")}.`,

  // adapters
  missingKey: (path: string, available: readonly string[]) =>
    `'${path}' not found (available here: ${available.length > 0 ? available.slice(0, 12).join(", ") + (available.length > 12 ? ", …" : "") : "nothing"}). ` +
    `Run the step that produces it first.`,
  notAMap: (path: string) => `'${path}' is a value, not a group; check the path.`,
  notAValue: (path: string) => `'${path}' is a group, not a value; name one of its members.`,
  notNumbers: (path: string, kind: string) => `'${path}' holds ${kind}, not numbers.`,
  indexOutOfRange: (path: string, index: number, length: number) =>
    `'${path}' has ${length} element${length === 1 ? "" : "s"}; index ${index} does not exist.`,
  notAScalar: (path: string, shape: readonly number[]) => `'${path}' has shape [${shape.join(", ")}]; expected a single number.`,

  // extractors
  noRate: () =>
    "metadata/acquisition_rate is missing or not positive; run loadRecording first (it sets the acquisition rate).",
  configNumber: (feature: string, option: string, value: unknown, rule: string) =>
    `${feature}: config option '${option}' must be ${rule}; got ${JSON.stringify(value)}.`,
  configWindowOrder: (feature: string, startOption: string, endOption: string) =>
    `${feature}: config option '${endOption}' must be greater than '${startOption}'.`,
  configText: (feature: string, option: string, value: unknown) =>
    `${feature}: config option '${option}' must be a non-empty text; got ${JSON.stringify(value)}.`,
  noSectionedMovie: (movie: string, path: string) =>
    `'${path}' not found: the unit has no trials of '${movie}'. Run sectionSpikeTimes for that movie first, or set ` +
    `the config option movieName to the step movie of this recording.`,
  badTrials: (path: string) => `'${path}' must be a (trials × 2) array of [start, end] sample indices.`,
};
