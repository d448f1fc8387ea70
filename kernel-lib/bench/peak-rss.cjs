// Peak resident set size of this process's own memory. `process.resourceUsage().maxRSS` is not it for a child
// process: Linux carries the high-water mark across exec, so a child forked from a runner that holds a lot of
// memory reports the runner's peak. VmHWM in /proc/self/status belongs to the address space made at exec.
"use strict";
const fs = require("fs");

/** Peak RSS in bytes since this process's exec (VmHWM), or maxRSS where /proc is not there. */
function peakRssBytes() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
    if (match !== null) return Number(match[1]) * 1024;
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS * 1024;
}

module.exports = { peakRssBytes };
