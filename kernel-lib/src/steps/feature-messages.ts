/** Messages of extractFeatures: the reference's warning texts (§1.13, §3.8) and our errors. */
export const featureMessages = {
  notLoaded: () => "Session does not contain loaded recording data. Run load_recording first.",
  noUnits: () => "No units found in session",
  unitFailed: (feature: string, unitId: string, detail: string) => `Failed ${feature} for ${unitId}: ${detail}`,
  featureFailed: (feature: string, detail: string) => `${feature}: ${detail}`,
  missingInputs: (inputs: readonly string[]) =>
    `missing required input${inputs.length === 1 ? "" : "s"} ${inputs.map((i) => `'${i}'`).join(", ")}; run the step that produces ${inputs.length === 1 ? "it" : "them"} first`,
  notValues: (kind: string) => `extract() returned ${kind}; it must return an object of values, e.g. { rate_hz: 3.2 }`,
  unstorable: (detail: string) => `its result cannot be stored: ${detail}`,

  featuresNotList: (value: unknown) =>
    `extractFeatures: features must be a list of feature names, e.g. features: ["frif", "step_up"]; got ${describe(value)}.`,
  forceNotBoolean: (value: unknown) => `extractFeatures: force must be true or false; got ${describe(value)}.`,
  configNotObject: (value: unknown) =>
    `extractFeatures: config must be an object keyed by feature name, e.g. config: { step_up: { movieName: "step_up_2s_b0_3x" } }; got ${describe(value)}.`,
  featureConfigNotObject: (feature: string, value: unknown) =>
    `extractFeatures: config.${feature} must be an object of options; got ${describe(value)}.`,
  configForUnrequested: (feature: string, features: readonly string[]) =>
    `extractFeatures: config.${feature} is given but '${feature}' is not among features [${features.join(", ")}]; add it to features or remove its config.`,
  unknownConfigOption: (feature: string, option: string, known: readonly string[]) =>
    `extractFeatures: config.${feature} has no option '${option}'. Known options: ${known.length > 0 ? known.join(", ") : "(none)"}.`,
  notARegistry: (value: unknown) =>
    `extractFeatures: registry must be a FeatureRegistry (or null for the default registry); got ${describe(value)}.`,
};

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}
