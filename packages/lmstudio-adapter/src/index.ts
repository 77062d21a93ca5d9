export { classifyError, describeError } from "./classify-error";
export { createLmStudioRuntime } from "./create-runtime";
export type { LmStudioRuntime } from "./lmstudio-runtime";
export { createLmStudioSettings, type LmStudioSettingsOptions } from "./lmstudio-settings";
export { mapDownloadedModel } from "./map-model";
export { DEFAULT_TIMEOUTS, type LmStudioRuntimeOptions, type LmStudioTimeouts } from "./options";
export { createQuietLogger, isProtocolWarning, type QuietLogger, type SdkLogger } from "./quiet-logger";
