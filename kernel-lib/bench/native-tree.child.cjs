// One phase of native-tree.bench.cjs in a fresh process:
//   node native-tree.child.cjs write <file>    → saves the bench session (300 units, ≈ 256 MB)
//   node native-tree.child.cjs bridge <file>   → walks the file through the h5wasm bridge
//   node native-tree.child.cjs native <file>   → walks it with the native tree reader
// A walk reads every member, attribute and dataset, as loading a session does: first the units subtree (the
// per-object cost), then the rest (the large stimulus arrays). Prints one JSON line.
"use strict";
const bridge = require("../dist/hdf5/bridge");
const { openNativeTree } = require("../dist/hdf5/native-tree");
const hdmea = require("../dist");
const { buildSession } = require("./session-data.cjs");

function bridgeWalk(group, counts) {
  counts.attributes += bridge.readAttributes(group).length;
  for (const member of bridge.membersOf(group)) {
    if (member.kind === "group") bridgeWalk(member.entity, counts);
    else if (member.kind === "dataset") {
      counts.attributes += bridge.readAttributes(member.entity).length;
      const raw = bridge.readDataset(member.entity, counts.filePath);
      counts.bytes += raw === undefined ? 0 : raw.data.byteLength ?? 0;
    }
  }
}

function nativeWalk(tree, group, counts) {
  counts.attributes += tree.attributes(group).length;
  for (const member of tree.members(group)) {
    if (member.kind === "group") nativeWalk(tree, member.object, counts);
    else if (member.kind === "dataset") {
      counts.attributes += tree.attributes(member.object).length;
      const raw = tree.dataset(member.object);
      counts.bytes += raw === undefined ? 0 : raw.data.byteLength ?? 0;
    }
  }
}

async function main() {
  const [mode, file] = process.argv.slice(2);
  if (mode === "write") {
    await buildSession(hdmea).save(file, { overwrite: true });
    console.log(JSON.stringify({ written: file }));
    return;
  }
  const counts = { attributes: 0, bytes: 0, filePath: file };
  let openMs;
  let unitsMs;
  let restMs;
  if (mode === "bridge") {
    let started = performance.now();
    const h5 = await bridge.loadH5wasm();
    const h5file = new h5.File(file, "r");
    openMs = performance.now() - started;
    started = performance.now();
    const members = bridge.membersOf(h5file);
    bridgeWalk(members.find((m) => m.name === "units").entity, counts);
    unitsMs = performance.now() - started;
    started = performance.now();
    counts.attributes += bridge.readAttributes(h5file).length;
    for (const m of members) if (m.name !== "units" && m.kind === "group") bridgeWalk(m.entity, counts);
    restMs = performance.now() - started;
    h5file.close();
  } else {
    let started = performance.now();
    const tree = openNativeTree(file);
    openMs = performance.now() - started;
    started = performance.now();
    const members = tree.members(tree.root);
    nativeWalk(tree, members.find((m) => m.name === "units").object, counts);
    unitsMs = performance.now() - started;
    started = performance.now();
    counts.attributes += tree.attributes(tree.root).length;
    for (const m of members) if (m.name !== "units" && m.kind === "group") nativeWalk(tree, m.object, counts);
    restMs = performance.now() - started;
    tree.close();
  }
  console.log(JSON.stringify({ mode, openMs, unitsMs, restMs, attributes: counts.attributes, bytes: counts.bytes }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
