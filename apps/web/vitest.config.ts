import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      // The app's `~/…` import alias (tsconfig.json's `paths`).
      "~": fileURLToPath(new URL("./src", import.meta.url)),
      // Its guard against a browser bundle has nothing to guard in a test run.
      "server-only": fileURLToPath(new URL("./test/support/server-only.ts", import.meta.url)),
    },
  },
  test: {
    // Real SQLite files, sockets and child processes: generous limits, since CI machines are small and busy.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
