// The headless Chromium both browser tests use (test/e2e, test/static-html): Debian's build, never a downloaded one,
// with the flags that keep it off the network on these machines.
"use strict";

const CHROMIUM = process.env.HDMEA_CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_FLAGS = Object.freeze([
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
]);

module.exports = { CHROMIUM, CHROMIUM_FLAGS };
