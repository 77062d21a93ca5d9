import type { FleetInput } from "@lmstrix/lmstudio-emulator";
import { expect, test } from "@playwright/test";
import { startRun, waitForRunEnd } from "../support/dashboard";
import { openE2eDatabase } from "../support/database";
import { useEmulatorHost } from "../support/emulator-host";

/**
 * A run's warnings name the model and the size they are about: a batch tests many models, and "the prompt was silently
 * truncated" alone does not say whose. One model here has its prompts cut above 3,000 tokens (the emulator's
 * `truncatePromptAbove` fault), the other is healthy.
 */
const HOST = "warn-box";
const CUT = "cut-prompt-1b";
const HEALTHY = "whole-prompt-1b";
/** Fails every load: the run completes, with one model failed. */
const BROKEN = "broken-load-1b";
const model = (modelKey: string, faults: FleetInput["models"][number]["faults"] = []) => ({
  modelKey,
  displayName: modelKey,
  type: "llm" as const,
  format: "gguf" as const,
  path: `warn/${modelKey}-GGUF/${modelKey}-Q4_K_M.gguf`,
  sizeBytes: 800_000_000,
  architecture: "llama",
  paramsString: "1B",
  maxContextLength: 8_192,
  kvBytesPerToken: 32_768,
  faults,
});
const FLEET: FleetInput = {
  memoryBytes: 8 * 1024 ** 3,
  models: [
    model(CUT, [{ truncatePromptAbove: 3_000 }]),
    model(HEALTHY),
    model(BROKEN, [{ loadFailsAbove: 1 }]),
  ],
};

const lab = useEmulatorHost(HOST, { fleet: FLEET, seed: 5 });

test("a run's warnings say which model they are about", async ({ page, request }) => {
  test.setTimeout(120_000);
  const runId = await startRun(request, {
    hostId: lab.host.id,
    modelKeys: [CUT, HEALTHY, BROKEN],
    options: { effective: true, reset: true, cooldownMs: 0 },
  });
  expect(await waitForRunEnd(request, runId, 90_000)).toBe("completed");

  await page.goto(`/runs/${runId}`);
  // The run completed, and says so without hiding the model that failed.
  await expect(page.getByTestId("run-outcome")).toHaveText(
    "The run completed; 1 of 3 models failed (their reasons are below).",
  );
  const truncated = page.getByTestId("run-warning").filter({ hasText: "silently truncated" });
  await expect(truncated.first()).toBeVisible();
  // …and the size of the check it is about, one of this run's filled checks of that model.
  const db = await openE2eDatabase();
  const sizes = await db.prisma.probe
    .findMany({
      where: { runId, kind: "effective", model: { modelKey: CUT } },
      select: { contextRequested: true },
    })
    .finally(() => db.close());
  const subjects = await truncated.getByTestId("run-message-subject").allTextContents();
  expect(subjects.length).toBeGreaterThan(0);
  for (const subject of subjects) {
    const size = subject.match(new RegExp(`^${CUT} at ([\\d,]+) tokens:$`))?.[1];
    expect(size, subject).toBeDefined();
    expect(sizes.map((probe) => probe.contextRequested)).toContain(Number(size!.replaceAll(",", "")));
  }
  // Every warning of this run is about the model whose prompts were cut; none about the healthy one.
  await expect(page.getByTestId("run-message-subject").filter({ hasText: HEALTHY })).toHaveCount(0);
});
