import { expect, test } from "vitest";
import { emulatorSessions } from "../test/support/emulator-session.js";
import { testFleet } from "../test/support/test-fleet.js";
import { parseLmStudioVersion } from "./lmstudio-version.js";
import type { EmulatorOptions } from "./server.js";

const sessions = emulatorSessions();

async function versionSeen(options: EmulatorOptions) {
  return (await sessions.serve(options)).client.system.getLMStudioVersion();
}

test("the fleet's lmStudioVersion is what the SDK's getLMStudioVersion() reports", async () => {
  expect(await versionSeen({ fleet: { ...testFleet, lmStudioVersion: "0.4.23+2" } })).toEqual({
    version: "0.4.23",
    build: 2,
  });
});

test("the lmStudioVersion option overrides the fleet's", async () => {
  const fleet = { ...testFleet, lmStudioVersion: "0.4.12" };
  expect(await versionSeen({ fleet, lmStudioVersion: "0.4.21" })).toEqual({ version: "0.4.21", build: 4 });
});

test("versions are read as LM Studio writes them; anything else is refused", () => {
  expect(parseLmStudioVersion("0.3.20")).toEqual({ version: "0.3.20", build: 4 });
  expect(parseLmStudioVersion("0.4.5+2")).toEqual({ version: "0.4.5", build: 2 });
  expect(() => parseLmStudioVersion("latest")).toThrow(/must look like "0.4.23" or "0.4.23\+2"/);
});
