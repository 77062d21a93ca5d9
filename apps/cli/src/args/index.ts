export { COMMAND_NAMES, COMMANDS, findCommand } from "./commands";
export { parseCommandLine } from "./parse";
export * from "./types";
export { decimal, integer } from "./values";
