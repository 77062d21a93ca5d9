import { DEFAULT_LM_STUDIO_VERSION } from "./fleet/schema.js";

/** What `client.system.getLMStudioVersion()` reports by default (an LM Studio build of mid-2025). */
export const EMULATED_LM_STUDIO_VERSION = { version: DEFAULT_LM_STUDIO_VERSION, build: 4 } as const;

export interface LmStudioVersion {
  version: string;
  build: number;
}

const VERSION_PATTERN = /^(\d+\.\d+\.\d+)(?:\+(\d+))?$/;

/** `"0.4.23+2"` → `{version: "0.4.23", build: 2}`; without `+N` the build is 4, as the default's. */
export function parseLmStudioVersion(text: string): LmStudioVersion {
  const match = VERSION_PATTERN.exec(text.trim());
  if (match?.[1] === undefined) {
    throw new Error(`LM Studio version must look like "0.4.23" or "0.4.23+2" (build after +), got "${text}"`);
  }
  return {
    version: match[1],
    build: match[2] === undefined ? EMULATED_LM_STUDIO_VERSION.build : Number(match[2]),
  };
}
