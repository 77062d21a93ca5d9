import type { CliEnv } from "../env";
import type { Io } from "../io";

/** What every command gets: its streams and the validated environment. */
export interface CommandContext {
  io: Io;
  env: CliEnv;
}
