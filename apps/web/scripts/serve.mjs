// Starts the built dashboard with `next start`. Launched directly (not through `pnpm exec`) so that stopping
// this process stops the server and leaves no orphan holding the port.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");

const port = process.env.PORT ?? "3000";
const listen = process.env.LMSTRIX_LISTEN ?? "127.0.0.1";
if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65_535) {
  console.error(`PORT must be a number between 1 and 65535 (got "${port}")`);
  process.exit(2);
}

const server = spawn(process.execPath, [nextBin, "start", "--port", port, "--hostname", listen], {
  cwd: appDir,
  stdio: "inherit",
});
const shownHost = listen === "0.0.0.0" || listen === "::" ? "localhost" : listen;
console.log(`LMStrix dashboard: http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.kill(signal));
}
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
