import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Integration tests talk to the emulator over real sockets; the adapter's own limits are shorter.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
