import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Integration tests drive the real emulator over WebSockets and real CLI processes on a SQLite file.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
  },
});
