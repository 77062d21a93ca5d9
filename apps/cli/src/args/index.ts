export { COMMAND_NAMES, COMMANDS } from "./commands";
export { parseCommandLine } from "./parse";
export * from "./types";
export { decimal, integer } from "./values";
