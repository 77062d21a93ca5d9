import { expect, test } from "@playwright/test";
import { removeDir, startRestartableEmulator, startWebServer, tempDir } from "../support/stack";
import { ok, trpcGet } from "../support/trpc";

test("harness: a dashboard process and an emulator start, and the dashboard can be killed and restarted", async () => {
  const dataDir = tempDir("harness");
  const emulator = await startRestartableEmulator({ timeScale: 0 });
  const web = await startWebServer({ dataDir, lmStudioUrl: emulator.url });
  try {
    const hosts = ok(await trpcGet<{ name: string }[]>(web.baseUrl, "host.list"), "host.list");
    expect(hosts.map((h) => h.name)).toContain("local");
    await web.kill();
    await web.restart();
    expect((await fetch(`${web.baseUrl}/api/health`)).status).toBe(200);
  } finally {
    await web.stop();
    await emulator.stop();
    removeDir(dataDir);
  }
});
