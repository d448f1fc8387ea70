/**
 * Tests that run the BUILT package in child processes (plain Node, no TypeScript loader) call
 * `ensureBuiltPackage()` first: it runs `npm run build` in kernel-lib when `dist` is missing or older than any
 * source file, so a fresh clone and an edited tree both test the current code.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const KERNEL_LIB_DIR = path.resolve(__dirname, "..", "..");
const DIST_ENTRY = path.join(KERNEL_LIB_DIR, "dist", "index.js");
const BUILD_TIMEOUT_MS = 180_000;

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "test-support") newest = Math.max(newest, newestSourceMs(full));
    } else if (!entry.name.endsWith(".test.ts")) {
      newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  }
  return newest;
}

export function ensureBuiltPackage(): void {
  const builtMs = fs.existsSync(DIST_ENTRY) ? fs.statSync(DIST_ENTRY).mtimeMs : 0;
  if (builtMs > newestSourceMs(path.join(KERNEL_LIB_DIR, "src"))) return;
  execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build"], {
    cwd: KERNEL_LIB_DIR,
    stdio: "ignore",
    timeout: BUILD_TIMEOUT_MS,
  });
}
