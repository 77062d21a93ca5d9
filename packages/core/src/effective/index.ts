export * from "./filled-prompt";
export * from "./haystack";
export * from "./needles";
