export * from "./simulated-replies";
export * from "./simulated-runtime";
