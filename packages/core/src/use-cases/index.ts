/** The use cases the dashboard and the CLI share: each rule written once, called by both. */

export * from "./apply-limit";
export * from "./ask-model";
export * from "./compare-models";
export * from "./fire-schedules";
export * from "./host-idle";
export * from "./hosts";
export * from "./limits-report";
export * from "./matrix";
export * from "./measured-fleet";
export * from "./notify-run-end";
export * from "./retest-stale";
export * from "./scan";
export * from "./schedules";
export * from "./webhook-delivery";
export * from "./what-fits";
