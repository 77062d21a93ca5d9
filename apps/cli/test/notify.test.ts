import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { enqueueRun, runOptionsSchema } from "@lmstrix/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli";
import { useEmulatorHost } from "./support/emulator-host";
import { GiB, llm } from "./support/fleet";
import { openStore } from "./support/store";

describe("lmstrix test notifies the webhook when its run ends", () => {
  const lmStudio = useEmulatorHost({
    fleet: { memoryBytes: 8 * GiB, models: [llm("tiny", { maxContextLength: 8_192 })] },
    timeScale: 0.001,
    seed: 3,
  });
  const received: Record<string, unknown>[] = [];
  const server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    request.on("end", () => {
      received.push(JSON.parse(text) as Record<string, unknown>);
      response.end();
    });
  });
  let hookUrl = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cli`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("POSTs the run's end before the command exits", async () => {
    const env = {
      ...lmStudio.env(),
      LMSTRIX_WEBHOOK_URL: hookUrl,
      LMSTRIX_PUBLIC_URL: "http://dash.lan:3000",
    };
    const result = await runInProcess(["test", "tiny", "--cooldown", "0", "--json"], env);
    expect(result.code, result.stderr).toBe(0);
    const runId = (JSON.parse(result.stdout) as { run: { id: number } }).run.id;
    expect(received).toEqual([
      {
        event: "run.finished",
        runId,
        host: { id: expect.any(Number), name: "local" },
        status: "completed",
        message: null,
        models: { completed: 1, failed: 0, skipped: 0 },
        link: `http://dash.lan:3000/runs/${runId}`,
      },
    ]);
  });

  it("`lmstrix cancel` of a run still queued POSTs its end: no worker will", async () => {
    received.length = 0;
    const env = {
      ...lmStudio.env(),
      LMSTRIX_WEBHOOK_URL: hookUrl,
      LMSTRIX_PUBLIC_URL: "http://dash.lan:3000",
    };
    const { store, close } = await openStore(lmStudio.dataDir);
    let runId: number;
    try {
      const host = await store.ensureHost("local", lmStudio.emulator.url);
      runId = (
        await enqueueRun(store, {
          hostId: host.id,
          mode: "all",
          options: runOptionsSchema.parse({}),
          startedBy: "web",
        })
      ).id;
    } finally {
      await close();
    }
    const result = await runInProcess(["cancel", String(runId)], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Run #${runId} cancelled`);
    expect(received).toEqual([
      expect.objectContaining({
        event: "run.finished",
        runId,
        status: "cancelled",
        message: "Cancelled by user",
        link: `http://dash.lan:3000/runs/${runId}`,
      }),
    ]);
  });
});
