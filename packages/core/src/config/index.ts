export * from "./environment";
export * from "./shared-settings";
