// One phase of native-tree.bench.cjs in a fresh process:
//   node native-tree.child.cjs write <file>    → saves the bench session (300 units, ≈ 256 MB)
//   node native-tree.child.cjs bridge <file>   → walks the file through the h5wasm bridge
//   node native-tree.child.cjs native <file>   → walks it with the native tree reader
// A walk reads every member, attribute and dataset, as loading a session does: first the units subtree (the
// per-object cost), then the rest (the large stimulus arrays). Prints one JSON line.
"use strict";
const bridge = require("../dist/hdf5/bridge");
const { openNativeTree } = require("../dist/hdf5/native-tree");
const { h5wasmTreeSource } = require("../dist/hdf5/tree");
const hdmea = require("../dist");
const { buildSession } = require("./session-data.cjs");

// Both readers are walked through the TreeSource interface the session reader itself uses, so the bench follows the
// library's member shape instead of a copy of it.
function walk(source, group, counts) {
  counts.attributes += source.attributes(group).length;
  for (const member of source.members(group)) {
    if (member.kind === "group") walk(source, member.node, counts);
    else if (member.kind === "dataset") {
      counts.attributes += source.attributes(member.node).length;
      const raw = source.dataset(member.node);
      counts.bytes += raw === undefined ? 0 : raw.data.byteLength ?? 0;
    }
  }
}

function walkTimed(source, counts) {
  let started = performance.now();
  const members = source.members(source.root);
  const units = members.find((m) => m.name === "units");
  if (units === undefined) throw new Error("the bench session has no units group");
  walk(source, units.node, counts);
  const unitsMs = performance.now() - started;
  started = performance.now();
  counts.attributes += source.attributes(source.root).length;
  for (const m of members) if (m.name !== "units" && m.kind === "group") walk(source, m.node, counts);
  return { unitsMs, restMs: performance.now() - started };
}

async function main() {
  const [mode, file] = process.argv.slice(2);
  if (mode === "write") {
    await buildSession(hdmea).save(file, { overwrite: true });
    console.log(JSON.stringify({ written: file }));
    return;
  }
  const counts = { attributes: 0, bytes: 0 };
  let openMs;
  let times;
  if (mode === "bridge") {
    const started = performance.now();
    const h5 = await bridge.loadH5wasm();
    const h5file = new h5.File(file, "r");
    openMs = performance.now() - started;
    times = walkTimed(h5wasmTreeSource(h5file, file), counts);
    h5file.close();
  } else if (mode === "native") {
    const started = performance.now();
    const tree = openNativeTree(file);
    openMs = performance.now() - started;
    times = walkTimed(tree, counts);
    tree.close();
  } else {
    throw new Error(`unknown mode ${mode}: write, bridge or native`);
  }
  const { unitsMs, restMs } = times;
  console.log(JSON.stringify({ mode, openMs, unitsMs, restMs, attributes: counts.attributes, bytes: counts.bytes }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
