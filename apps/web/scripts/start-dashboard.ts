import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { listenProblem, parseEnv } from "../src/env";

function fail(message: string): never {
  console.error(`LMStrix cannot start: ${message}`);
  process.exit(2);
}

/**
 * V8 lets the old generation grow to a multiple of the live data before a full collection, and that multiple
 * depends on the heap limit: with the default limit of a machine with lots of memory (~4 GB) it is 4×, so the
 * server's ~45 MB of live objects sat in ~200 MB of heap under load (RSS ~410 MB). With a 1 GB limit the factor
 * is ~1.6 (RSS ~300 MB), and 1 GB still leaves room for the largest request (a 50 MB registry import, one at
 * a time: see the data router).
 * A limit the user sets in NODE_OPTIONS wins.
 */
function heapFlags(environment: NodeJS.ProcessEnv): string[] {
  return /--max[-_]old[-_]space[-_]size/.test(environment.NODE_OPTIONS ?? "")
    ? []
    : ["--max-old-space-size=1024"];
}

/**
 * Checks the configuration (bad values and an open listen address without a token stop it here, with a
 * message), then starts the built dashboard with `next start`. Next is launched directly, not through
 * `pnpm exec`, so that stopping this process stops the server and leaves no orphan holding the port.
 */
export function startDashboard(environment: NodeJS.ProcessEnv): ChildProcess {
  let config: ReturnType<typeof parseEnv>;
  try {
    config = parseEnv(environment);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const problem = listenProblem(config);
  if (problem) fail(problem);

  const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const listen = config.LMSTRIX_LISTEN;
  const server = spawn(
    process.execPath,
    [...heapFlags(environment), nextBin, "start", "--port", String(config.PORT), "--hostname", listen],
    {
      cwd: appDir,
      stdio: "inherit",
      // NEXT_MANUAL_SIG_HANDLE: Next then leaves SIGTERM/SIGINT to the app, which stops the run in flight
      // cleanly (interrupted, lease released) before it exits (src/server/shutdown.ts).
      env: { NEXT_TELEMETRY_DISABLED: "1", ...environment, NEXT_MANUAL_SIG_HANDLE: "true" },
    },
  );
  const shownHost = listen === "0.0.0.0" || listen === "::" ? "localhost" : listen;
  const teamMode = config.LMSTRIX_TOKEN ? " · team mode: access token required" : "";
  console.log(
    `LMStrix dashboard: http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${config.PORT}`,
  );
  console.log(`LM Studio (default host): ${config.LMSTUDIO_URL}${teamMode}`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => server.kill(signal));
  }
  return server;
}
