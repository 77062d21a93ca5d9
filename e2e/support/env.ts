/** Values playwright.config.ts decided for this test run. */
export const e2e = {
  dataDir: required("LMSTRIX_E2E_DATA_DIR"),
  emulatorUrl: `ws://127.0.0.1:${required("LMSTRIX_E2E_EMULATOR_PORT")}`,
  team: {
    baseUrl: `http://127.0.0.1:${required("LMSTRIX_E2E_TEAM_PORT")}`,
    dataDir: required("LMSTRIX_E2E_TEAM_DATA_DIR"),
    token: required("LMSTRIX_E2E_TEAM_TOKEN"),
  },
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the specs through playwright.config.ts`);
  return value;
}
