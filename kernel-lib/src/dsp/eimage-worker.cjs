// Entry of the eimage worker threads (eimage-pool.ts), kept as a real on-disk CommonJS file on purpose: a worker
// thread starts from a file Node runs as it is. In the built library it loads the compiled `eimage-worker.js`
// next to it. Under vitest the library is TypeScript that only vitest's own loader understands, and a worker
// thread does not inherit that loader, so for a `.ts` entry it first installs a minimal require hook that
// transpiles TypeScript to CommonJS with the `typescript` package (a dev dependency, present wherever .ts runs).
"use strict";
const { workerData } = require("worker_threads");

const entry = workerData.entry;
if (entry.endsWith(".ts")) {
  const fs = require("fs");
  const ts = require("typescript");
  require.extensions[".ts"] = (module, filename) => {
    const { outputText } = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    module._compile(outputText, filename);
  };
}
require(entry).serveBandRange();
