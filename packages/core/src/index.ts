export * from "./domain/event";
export * from "./domain/host";
export * from "./domain/model";
export * from "./domain/probe";
export * from "./domain/run";
// Seeded pseudo-random numbers (mulberry32), for data that must be the same on every machine.
export { seededRandom } from "./effective/haystack";
export * from "./engine/check-prompts";
export * from "./engine/duplicate-run";
export * from "./engine/host-connection";
export * from "./engine/run-context";
export * from "./engine/run-executor";
export * from "./engine/run-queue";
export * from "./engine/search";
export * from "./engine/sleep";
export * from "./errors/runtime-error";
export * from "./ports/model-runtime";
export * from "./ports/store";
export { stableStringify } from "./util/stable-json";
