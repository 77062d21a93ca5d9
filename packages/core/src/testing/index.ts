export * from "./manual-timers";
export * from "./simulated-replies";
export * from "./simulated-runtime";
