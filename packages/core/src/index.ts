export * from "./domain/event";
export * from "./domain/host";
export * from "./domain/model";
export * from "./domain/probe";
export * from "./domain/run";
export * from "./errors/runtime-error";
export * from "./ports/model-runtime";
export * from "./ports/store";
