#!/usr/bin/env node
// Standalone smoke test with the unmodified LM Studio SDK: works against the emulator or a real
// LM Studio. Usage: node scripts/sdk-smoke.mjs ws://127.0.0.1:1234 [modelKey] [contextLength]
// Exits 0 when list → load → read context → "2+3=" answers 5 → unload all work, 1 otherwise.
import { LMStudioClient } from "@lmstudio/sdk";

process.env.LMS_NO_FANCY_ERRORS = "1";

const [baseUrl, wantedKey, contextArg] = process.argv.slice(2);
if (baseUrl === undefined) {
  console.error("usage: sdk-smoke.mjs WS_URL [modelKey] [contextLength]");
  process.exit(2);
}
const contextLength = Number(contextArg ?? 4096);

// The SDK logs a warning and drops any message that fails its schemas (the call then hangs), so
// any warning or error from it fails the smoke test.
const problems = [];
const logger = {
  debug() {},
  info() {},
  warn: (...args) => problems.push(["warn", ...args]),
  error: (...args) => problems.push(["error", ...args]),
};

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function withTimeout(promise, what, ms = 30_000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const client = new LMStudioClient({ baseUrl, logger, verboseErrorMessages: false });
let exitCode = 0;
try {
  const models = await withTimeout(client.system.listDownloadedModels(), "listDownloadedModels");
  const llms = models.filter((model) => model.type === "llm");
  check(llms.length > 0, "no LLM downloaded");
  const model =
    wantedKey === undefined
      ? llms.find((candidate) => candidate.maxContextLength >= contextLength)
      : llms.find((candidate) => candidate.modelKey === wantedKey);
  check(model !== undefined, `no suitable LLM (wanted ${wantedKey ?? `context ≥ ${contextLength}`})`);

  const llm = await withTimeout(
    client.llm.load(model.modelKey, { config: { contextLength }, verbose: false }),
    `load ${model.modelKey}`,
  );
  const loadedContext = await withTimeout(llm.getContextLength(), "getContextLength");
  check(loadedContext === contextLength, `loaded context ${loadedContext}, asked for ${contextLength}`);

  const result = await withTimeout(llm.respond("2+3=", { maxTokens: 10, temperature: 0.1 }), "respond");
  check(/(^|\D)5(\D|$)/.test(result.content), `"2+3=" answered ${JSON.stringify(result.content)}`);
  check(typeof result.stats.stopReason === "string", "prediction stats missing");

  await withTimeout(llm.unload(), "unload");
  const stillLoaded = await withTimeout(client.llm.listLoaded(), "listLoaded");
  check(
    !stillLoaded.some((loaded) => loaded.identifier === llm.identifier),
    "model still loaded after unload",
  );

  console.log(
    JSON.stringify({
      ok: true,
      models: models.length,
      model: model.modelKey,
      contextLength: loadedContext,
      reply: result.content,
      stopReason: result.stats.stopReason,
    }),
  );
} catch (error) {
  console.error(`smoke test failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await client[Symbol.asyncDispose]().catch(() => {});
}
if (problems.length > 0) {
  console.error("SDK warnings/errors:", JSON.stringify(problems.map((p) => p.map(String))));
  exitCode = 1;
}
process.exit(exitCode);
