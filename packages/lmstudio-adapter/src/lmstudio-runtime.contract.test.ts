import { runtimeContractSuite } from "@lmstrix/core/testing/contract";
import { startEmulator } from "@lmstrix/lmstudio-emulator";
import { createStrictSdkLogger } from "../test/support/strict-sdk-logger";
import { HEALTHY_KEY, TEST_FLEET } from "../test/support/test-fleet";
import { TEST_TIMEOUTS } from "../test/support/test-timeouts";
import { createLmStudioRuntime } from "./create-runtime";

runtimeContractSuite("LM Studio adapter over real sockets to the emulator", async () => {
  const emulator = await startEmulator({ port: 0, fleet: TEST_FLEET, timeScale: 0 });
  const logger = createStrictSdkLogger();
  const runtime = createLmStudioRuntime({ url: emulator.url, timeouts: TEST_TIMEOUTS, logger });
  return {
    runtime,
    modelKey: HEALTHY_KEY,
    teardown: async () => {
      await runtime.close();
      await emulator.close();
      logger.assertNoProtocolWarnings();
    },
  };
});
