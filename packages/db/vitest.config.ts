import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Real SQLite files, sockets and child processes: generous limits, since CI machines are small and busy.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
