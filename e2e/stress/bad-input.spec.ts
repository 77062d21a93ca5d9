import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import {
  databaseBytes,
  finishScript,
  freePort,
  type RestartableEmulator,
  removeDir,
  repoRoot,
  runCli,
  startRestartableEmulator,
  startScript,
  startWebServer,
  tempDir,
  type WebServer,
  waitFor,
} from "../support/stack";
import { ok, type TrpcReply, trpcGet, trpcPost } from "../support/trpc";
import {
  apiEntries,
  type CliEntry,
  cliEntries,
  corpusSize,
  fleetEntries,
  httpEntries,
  type ImportEntry,
  importEntries,
  KNOWN_MODEL,
  LOCAL_HOST_ID,
  UNKNOWN_ID,
  webEnvEntries,
} from "./bad-input-corpus";
import { startRun, waitForRunEnd } from "./support";

/**
 * Every entry of the bad-input corpus is refused with a message that says what was wrong, and the database
 * stays byte for byte what it was. One dashboard, one emulator and one data directory (with a scanned host and
 * a finished run in it) serve the whole corpus; each surface is one test, each entry one step.
 */

const fleetFixture = JSON.parse(readFileSync(path.join(repoRoot, "e2e/fixtures/fleet.json"), "utf8"));
const malformedRegistries = path.join(repoRoot, "packages/db/src/testing/fixtures/malformed");

let emulator: RestartableEmulator;
let web: WebServer;
let dataDir: string;
let scratchDir: string;
let fingerprint: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dataDir = tempDir("bad-input");
  scratchDir = tempDir("bad-input-files");
  emulator = await startRestartableEmulator({ fleet: fleetFixture, timeScale: 0 });
  web = await startWebServer({ dataDir, lmStudioUrl: emulator.url });

  // Real data to protect: the default host, its scanned models and one finished run with its probes.
  const hosts = ok(await trpcGet<{ id: number; name: string }[]>(web.baseUrl, "host.list"), "host.list");
  expect(hosts).toEqual([expect.objectContaining({ id: LOCAL_HOST_ID, name: "local" })]);
  ok(await trpcPost(web.baseUrl, "host.scan", { id: LOCAL_HOST_ID }), "host.scan");
  const runId = await startRun(web.baseUrl, {
    hostId: LOCAL_HOST_ID,
    modelKeys: [KNOWN_MODEL],
    options: { fixedContext: 4096, cooldownMs: 0 },
  });
  expect((await waitForRunEnd(web.baseUrl, runId, { timeoutMs: 60_000 })).status).toBe("completed");
  // The worker releases the host's lease just after the run is marked complete: wait for the files to settle.
  let previous = "";
  fingerprint = await waitFor(
    "the database files to stop changing",
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const now = databaseBytes(dataDir);
      const settled = now === previous;
      previous = now;
      return settled ? now : undefined;
    },
    { timeoutMs: 30_000 },
  );
});

test.afterAll(async () => {
  await web?.stop();
  await emulator?.stop();
  removeDir(dataDir);
  removeDir(scratchDir);
});

function expectUnchanged(what: string) {
  expect.soft(databaseBytes(dataDir), `${what}: the database changed`).toBe(fingerprint);
}

function expectSays(text: string, patterns: RegExp[], what: string) {
  for (const pattern of patterns)
    expect.soft(text, `${what}: the message must match ${pattern}`).toMatch(pattern);
}

/** A tRPC reply that is a refusal with this status and a message saying why, never a server error. */
function expectRefused(reply: TrpcReply<unknown>, status: number, says: RegExp[], what: string) {
  expect.soft(reply.data, `${what} was accepted`).toBeUndefined();
  expect.soft(reply.status, `${what}: ${reply.error?.message.slice(0, 500)}`).toBe(status);
  expectSays(reply.error?.message ?? "", says, what);
}

/** Opens a subscription's event stream and reads the refusal tRPC sends in it (status and message). */
async function subscriptionRefusal(procedure: string, input: unknown): Promise<TrpcReply<unknown>> {
  const query = encodeURIComponent(JSON.stringify({ json: input }));
  const response = await fetch(`${web.baseUrl}/api/trpc/${procedure}?input=${query}`, {
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const event = /^event: serialized-error\ndata: (.*)$/m.exec(text);
  if (!event?.[1]) return { status: response.status, data: text };
  const error = (
    JSON.parse(event[1]) as { json: { message: string; data: { code: string; httpStatus: number } } }
  ).json;
  return { status: error.data.httpStatus, error: { message: error.message, code: error.data.code } };
}

/** Runs a script to its end, killing it after a minute: a bad configuration must stop it by itself. */
function runScript(script: string, args: string[], env: NodeJS.ProcessEnv) {
  return finishScript(
    startScript(script, args, env),
    `tsx ${script} ${args.join(" ").slice(0, 200)}`,
    60_000,
  );
}

/** Runs `work` over the entries, `width` at a time (process start-up dominates; the machine has 2 cores). */
async function inBatches<T>(entries: T[], width: number, work: (entry: T) => Promise<void>) {
  for (let start = 0; start < entries.length; start += width) {
    await Promise.all(entries.slice(start, start + width).map(work));
  }
}

const cliEnv = (extra: Record<string, string> = {}) => ({
  LMSTRIX_DATA_DIR: dataDir,
  LMSTUDIO_URL: emulator.url,
  ...extra,
});

test(`the corpus: ${corpusSize} malformed inputs over six surfaces`, () => {
  test.info().annotations.push({
    type: "corpus",
    description:
      `${corpusSize} entries: ${apiEntries.length} tRPC, ${httpEntries.length} plain HTTP, ${cliEntries.length} CLI, ` +
      `${webEnvEntries.length} web environment, ${fleetEntries.length} fleet, ${importEntries.length} import ` +
      "(each import through tRPC and the CLI)",
  });
  expect(corpusSize).toBeGreaterThanOrEqual(40);
  const all = [apiEntries, httpEntries, cliEntries, webEnvEntries, fleetEntries, importEntries];
  for (const entries of all) {
    const names = entries.map((entry) => entry.description);
    expect(new Set(names).size, "descriptions are unique within a surface").toBe(names.length);
  }
});

test(`tRPC: ${apiEntries.length} bad calls get a 4xx naming the problem`, async () => {
  for (const entry of apiEntries) {
    await test.step(`${entry.procedure}: ${entry.description}`, async () => {
      const reply =
        entry.call === "subscription"
          ? await subscriptionRefusal(entry.procedure, entry.input)
          : entry.call === "query"
            ? await trpcGet(web.baseUrl, entry.procedure, entry.input)
            : await trpcPost(web.baseUrl, entry.procedure, entry.input, { rawBody: entry.rawBody });
      expectRefused(reply, entry.status, entry.says, entry.description);
      expectUnchanged(entry.description);
    });
  }
});

test(`HTTP: ${httpEntries.length} bad export queries and oversized bodies get a 4xx naming the problem`, async () => {
  for (const entry of httpEntries) {
    await test.step(`${entry.method} ${entry.path}: ${entry.description}`, async () => {
      const text = entry.bodyMegabytes ? "x".repeat(entry.bodyMegabytes * 1024 * 1024) : undefined;
      const response = await fetch(`${web.baseUrl}${entry.path}`, {
        method: entry.method,
        headers: { "content-type": "application/json", origin: web.baseUrl },
        ...(entry.isChunked && text !== undefined
          ? { body: new Blob([text]).stream(), duplex: "half" as const }
          : { body: text }),
      });
      const body = (await response.json()) as { error?: string };
      expect.soft(response.status, `${entry.description}: ${body.error}`).toBe(entry.status);
      expectSays(body.error ?? "", entry.says, entry.description);
      expectUnchanged(entry.description);
    });
  }
});

function sendToCli(entry: CliEntry) {
  return test.step(`lmstrix ${entry.args.join(" ").slice(0, 60)}: ${entry.description}`, async () => {
    const args = entry.args.map((arg) => arg.replace("{dataDir}", dataDir));
    const result = await runCli(args, cliEnv(entry.env));
    expect.soft(result.code, `${entry.description}: ${result.stderr}`).toBe(entry.exitCode);
    expectSays(result.stderr, entry.says, entry.description);
    expect.soft(result.stdout, `${entry.description} printed a result`).toBe("");
    expectUnchanged(entry.description);
  });
}

test(`CLI: ${cliEntries.length} bad command lines and environments exit with a message`, async () => {
  // The dashboard keeps the database open meanwhile, as it does when a user runs the CLI next to it.
  await inBatches(cliEntries, 3, sendToCli);
});

test(`web server: ${webEnvEntries.length} bad environments stop \`pnpm start\` with the variable named`, async () => {
  const port = await freePort();
  await inBatches(webEnvEntries, 3, (entry) =>
    test.step(`${Object.entries(entry.env)
      .map(([name, value]) => `${name}=${value}`)
      .join(" ")}: ${entry.description}`, async () => {
      const env: NodeJS.ProcessEnv = { ...process.env };
      delete env.LMSTRIX_TOKEN;
      const result = await runScript("apps/web/scripts/serve.ts", [], {
        ...env,
        PORT: String(port),
        LMSTRIX_LISTEN: "127.0.0.1",
        LMSTRIX_DATA_DIR: dataDir,
        LMSTUDIO_URL: emulator.url,
        ...entry.env,
      });
      expect.soft(result.code, `${entry.description}: ${result.output}`).toBe(2);
      expectSays(result.output, [/LMStrix cannot start/, ...entry.says], entry.description);
      expectUnchanged(entry.description);
    }),
  );
});

test(`emulator: ${fleetEntries.length} bad fleets and flags stop it with the field named`, async () => {
  await inBatches(fleetEntries, 3, (entry) =>
    test.step(entry.description, async () => {
      const args = [...(entry.args ?? [])];
      if (entry.fleet !== undefined) {
        const file = path.join(scratchDir, `fleet-${entry.description.replace(/\W+/g, "-")}.json`);
        writeFileSync(file, entry.fleet);
        args.push("--fleet", file);
      }
      const result = await runScript(
        "packages/lmstudio-emulator/src/cli.ts",
        ["--port", "0", "--quiet", ...args],
        process.env,
      );
      expect.soft(result.code, `${entry.description}: ${result.output}`).toBe(entry.exitCode);
      expectSays(result.output, entry.says, entry.description);
      expect.soft(result.output, "a validation message, not a stack trace").not.toMatch(/\n\s+at /);
      expectUnchanged(entry.description);
    }),
  );
});

function importText(entry: ImportEntry): string {
  if ("fixture" in entry.content)
    return readFileSync(path.join(malformedRegistries, entry.content.fixture), "utf8");
  if ("text" in entry.content) return entry.content.text;
  const chunk = '\u0000garbage{["\\ '.repeat(4096);
  return chunk.repeat(Math.ceil((entry.content.garbageMegabytes * 1024 * 1024) / chunk.length));
}

test(`import: ${importEntries.length} bad registries are refused by tRPC and the CLI`, async () => {
  for (const entry of importEntries) {
    await test.step(`data.importRegistry: ${entry.description}`, async () => {
      const reply = await trpcPost(web.baseUrl, "data.importRegistry", {
        hostId: entry.unknownHost ? UNKNOWN_ID : LOCAL_HOST_ID,
        fileName: "lmstrix.json",
        text: importText(entry),
      });
      expectRefused(reply, entry.unknownHost ? 404 : 400, entry.says, entry.description);
      expectUnchanged(entry.description);
    });
  }
  await inBatches(importEntries, 3, (entry) =>
    test.step(`lmstrix import: ${entry.description}`, async () => {
      const file = path.join(scratchDir, `registry-${entry.description.replace(/\W+/g, "-")}.json`);
      writeFileSync(file, importText(entry));
      const args = ["import", file, ...(entry.unknownHost ? ["--host", "nowhere"] : [])];
      const result = await runCli(args, cliEnv());
      expect.soft(result.code, `${entry.description}: ${result.stderr}`).toBe(2);
      expectSays(result.stderr, entry.cliSays ?? entry.says, entry.description);
      expectUnchanged(entry.description);
    }),
  );
});

test("with the dashboard stopped, the CLI alone leaves the database unchanged too, and a real write shows", async () => {
  await web.stop();
  // The dashboard leaves its write-ahead log behind; the next process to close the database last folds it into
  // the file (same data, other bytes). A valid read does that first, so the fingerprint compares data only.
  const read = await runCli(["runs"], cliEnv());
  expect(read.code, read.stderr).toBe(0);
  fingerprint = databaseBytes(dataDir);
  const alone = cliEntries.filter((entry) => entry.alsoAlone);
  expect(alone.length).toBeGreaterThan(0);
  await inBatches(alone, 3, sendToCli);
  // The comparison can fail: a valid command that writes changes the fingerprint.
  const added = await runCli(["host", "add", "gpu-box", "ws://10.0.0.5:1234"], cliEnv());
  expect(added.code, added.stderr).toBe(0);
  expect(databaseBytes(dataDir)).not.toBe(fingerprint);
});
