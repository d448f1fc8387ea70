// Copies the non-TypeScript runtime files (the .cjs native-import shim, the eimage worker entry) next to the compiled output,
// because tsc only emits what it compiles.
const fs = require("fs");
const path = require("path");
const root = path.join(__dirname, "..");
for (const rel of ["esm/import-esm.cjs", "dsp/eimage-worker.cjs"]) {
  const from = path.join(root, "src", rel);
  const to = path.join(root, "dist", rel);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}
