#!/usr/bin/env node
/** Entry point of the `hdmea` binary. */
import { runCli } from "./run-cli";

// h5wasm's WebAssembly HDF5 writes its own diagnostics to console.error (e.g. "Aborted(…)" on some damaged files)
// as well as throwing; the command line reports every failure itself, in one line, so those lines are dropped.
// (h5wasm binds console.error when it loads, which is later: this replacement is what it binds.)
console.error = () => undefined;

runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // runCli answers every failure itself; this only guards against a failure of writing the answer.
    process.stderr.write(`Error [internal]: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}\n`);
    process.exitCode = 1;
  },
);
