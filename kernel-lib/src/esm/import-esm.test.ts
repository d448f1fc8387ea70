import { describe, expect, it } from "vitest";
import { importEsm } from "./import-esm";

describe("importEsm", () => {
  it("loads the ESM-only h5wasm package from CommonJS", async () => {
    const mod = (await importEsm("h5wasm/node")) as { default: { ready: Promise<unknown> } };
    await expect(mod.default.ready).resolves.toBeTruthy();
  });
});
