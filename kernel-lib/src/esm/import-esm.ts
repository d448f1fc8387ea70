import * as path from "path";

type ImportEsm = (specifier: string) => Promise<unknown>;

/**
 * Loads an ECMAScript module from CommonJS code. The loader lives in `import-esm.cjs`, which is copied next to the
 * compiled output; see that file for why it must not be TypeScript.
 * @internal
 */
export function importEsm(specifier: string): Promise<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loader = require(path.join(__dirname, "import-esm.cjs")) as ImportEsm;
  return loader(specifier);
}
