import * as path from "path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // The shared protocol from the kernel library's source (as in tsconfig.json), so tests need no kernel-lib build.
    alias: { "hdmea/dist/display/protocol": path.resolve(__dirname, "../kernel-lib/src/display/protocol.ts") },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test-support/jsdom-shims.ts"],
  },
});
