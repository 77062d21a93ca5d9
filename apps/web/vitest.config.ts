import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The app's `~/…` import alias (tsconfig.json's `paths`).
  resolve: { alias: { "~": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: {
    // Real SQLite files, sockets and child processes: generous limits, since CI machines are small and busy.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
