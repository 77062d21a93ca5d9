#!/usr/bin/env -S npx tsx
import { runCli } from "./cli";
import { processIo } from "./io";

// `pnpm lmstrix <command>` from the repo root (see the root package.json).
const code = await runCli(process.argv.slice(2), processIo());
process.exitCode = code;
