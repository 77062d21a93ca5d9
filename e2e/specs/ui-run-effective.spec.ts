import { needleCount } from "@lmstrix/core";
import type { FleetInput } from "@lmstrix/lmstudio-emulator";
import { expect, test } from "@playwright/test";
import { runIdFrom, startRun, trpcQuery, waitForRunEnd } from "../support/dashboard";
import { openE2eDatabase } from "../support/database";
import { useEmulatorHost } from "../support/emulator-host";

/**
 * A run with the effective check, started from the Model page against an emulator of this spec's own: a model
 * that loads its whole declared window but recalls prompts of 12,000 tokens at most, so the filled-window
 * search ends well below the loadable limit.
 */
const HOST = "needle-box";
const MODEL = "needle-window-8b";
const RECALLED_TOKENS = 12_000;
const FLEET: FleetInput = {
  memoryBytes: 16 * 1024 ** 3,
  models: [
    {
      modelKey: MODEL,
      displayName: "Needle Window 8B",
      type: "llm",
      format: "gguf",
      path: `lmstudio-community/${MODEL}-GGUF/${MODEL}-Q4_K_M.gguf`,
      sizeBytes: 2_497_280_000,
      architecture: "qwen3",
      paramsString: "8B",
      maxContextLength: 32_768,
      kvBytesPerToken: 147_456,
      effectiveContext: RECALLED_TOKENS,
    },
  ],
};
const count = (value: number) => value.toLocaleString("en-US");

const lab = useEmulatorHost(HOST, { fleet: FLEET, seed: 5 });

/** The model, its run's probes (oldest first) and the run's options, as the database has them. */
async function stored(runId: number) {
  const db = await openE2eDatabase();
  try {
    const model = await db.prisma.model.findFirstOrThrow({
      where: { modelKey: MODEL, host: { name: HOST } },
      select: { id: true, loadableLimit: true, effectiveLimit: true, declaredContext: true },
    });
    const probes = await db.prisma.probe.findMany({ where: { runId }, orderBy: { id: "asc" } });
    const all = await db.prisma.probe.findMany({ where: { modelId: model.id }, select: { kind: true } });
    const finished = await db.prisma.runEvent.findFirstOrThrow({ where: { runId, type: "model.finished" } });
    const { effectiveReason } = JSON.parse(finished.payloadJson) as { effectiveReason: string };
    return { model, probes, all, effectiveReason };
  } finally {
    await db.close();
  }
}

test("a run with the effective check shows its options, the Effective column and a probe log of both checks", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const models = await trpcQuery<{ id: number; modelKey: string; displayName: string }[]>(
    request,
    "model.list",
    { hostId: lab.host.id },
  );
  const listed = models.find((candidate) => candidate.modelKey === MODEL)!;
  const modelId = listed.id;

  // Started from the Model page (its tab named after the model), with the effective check and 80% recall.
  await page.goto(`/models/${modelId}`);
  await expect(page).toHaveTitle(`${listed.displayName} on ${HOST} · LMStrix`);
  await page.getByRole("button", { name: "Test", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Test ${MODEL}` });
  await dialog.getByLabel(/Also measure the effective context/).check();
  await dialog.getByLabel("Recall threshold (share of needles)").fill("0.8");
  // The form is taller than a laptop's window now; its buttons stay in sight at the dialog's foot.
  await page.setViewportSize({ width: 1280, height: 720 });
  await expect(dialog.getByRole("button", { name: "Start test" })).toBeInViewport({ ratio: 1 });
  await dialog.getByRole("button", { name: "Start test" }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  const runId = runIdFrom(page);

  // The Run card says what the run was asked to do, and who asked.
  await expect(page.getByTestId("run-started-by")).toHaveText("web");
  await expect(page.getByTestId("run-strategy")).toHaveText("fit: fewer loads (predicts, then verifies)");
  await expect(page.getByTestId("run-effective")).toHaveText("on (fills the window)");
  await expect(page.getByTestId("run-recall")).toHaveText("80% of the needles");

  await expect(page.getByTestId("run-status")).toHaveText("Completed", { timeout: 90_000 });
  const { model, probes, all, effectiveReason } = await stored(runId);
  expect(model.loadableLimit).toBe(32_768);
  expect(model.effectiveLimit).not.toBeNull();
  expect(model.effectiveLimit!).toBeLessThanOrEqual(RECALLED_TOKENS);

  // The results have an Effective column next to the loadable limit, with the stored value.
  const results = page.getByRole("table", { name: "Results per model" });
  await expect(results.getByRole("columnheader")).toHaveText([
    "Model",
    "Status",
    "Loadable limit",
    "Effective",
    "Declared",
    "Efficiency",
    "Probes",
  ]);
  await expect(page.getByTestId("effective-result")).toHaveText(count(model.effectiveLimit!));
  // How it was read, in the engine's words, under the model's name.
  await expect(page.getByTestId("effective-reason")).toHaveText(`Effective: ${effectiveReason}`);

  // The probe log: one entry per probe, each marked short check or filled window, with its questions.
  const entries = page.getByTestId("probe-log-entry");
  await expect(entries).toHaveCount(probes.length);
  const filled = probes.filter((probe) => probe.kind === "effective");
  const short = probes.filter((probe) => probe.kind === "loadable");
  expect(filled.length).toBeGreaterThan(2);
  expect(short.length).toBeGreaterThan(0);
  await expect(
    entries.filter({ has: page.getByTestId("probe-check").getByText("Filled window") }),
  ).toHaveCount(filled.length);
  await expect(entries.filter({ has: page.getByTestId("probe-check").getByText("Short check") })).toHaveCount(
    short.length,
  );

  // A short check: lmstrix's question and the number it expects, beside the reply.
  const firstShort = entries.nth(probes.length - 1 - probes.indexOf(short[0]!));
  await expect(firstShort.getByTestId("probe-question").first()).toContainText(
    "Write 'ninety-six' as a number using only digits",
  );
  await expect(firstShort.getByTestId("probe-expected").first()).toHaveText("96");
  await expect(firstShort.getByTestId("probe-reply")).toContainText("96");

  // A filled check that passed and one that failed: each needle question with the code the database expects.
  for (const probe of [
    filled.find((p) => p.outcome === "pass")!,
    filled.find((p) => p.outcome === "fail")!,
  ]) {
    const entry = entries.nth(probes.length - 1 - probes.indexOf(probe));
    await expect(entry).toContainText(`${count(probe.contextRequested)} tokens`);
    // How the needles sit (canaries at 0 % and 100 % included), as the probe stored it.
    await expect(entry).toContainText(probe.prompt!.split("\n")[0]!.replace(/^Filled prompt of /, ""));
    const needles = needleCount(probe.contextApplied!);
    const codes = probe.expectedAnswer!.split("\n");
    expect(codes).toHaveLength(needles);
    // The questions open on demand: each with the code the database expects.
    await entry.getByTestId("probe-questions").getByText(`${needles} needle questions`).click();
    await expect(entry.getByTestId("probe-question")).toHaveCount(needles);
    await expect(entry.getByTestId("probe-question").nth(1)).toBeVisible();
    await expect(entry.getByTestId("probe-question").nth(1)).toContainText("What is the secret code for");
    await expect(entry.getByTestId("probe-expected")).toHaveText(codes);
    await expect(entry).toContainText(`recall ${Math.round(probe.recall! * 100)}%`);
    // The reply, a line per needle, opens on demand too, and holds the whole of it.
    const reply = probe.reply!.split("\n").filter((line) => line.trim() !== "");
    const whole = reply.join(" ").replace(/\s+/g, " ").trim();
    if (reply.length > 16) {
      const replyLines = entry.getByTestId("probe-reply-lines");
      await expect(replyLines.locator("q")).toBeHidden();
      await replyLines.getByText(`${reply.length} lines in the reply`).click();
      await expect(replyLines.locator("q")).toHaveText(whole);
    } else {
      await expect(entry.getByTestId("probe-reply")).toHaveText(whole);
    }
  }

  // The Model page says where the effective limit comes from: the passing filled check that set it.
  const source = filled
    .filter((probe) => probe.outcome === "pass")
    .find((probe) => Math.min(probe.promptTokensSent!, probe.promptTokens!) === model.effectiveLimit);
  expect(source).toBeDefined();
  await page.getByRole("link", { name: MODEL }).first().click();
  await expect(page).toHaveURL(new RegExp(`/models/${model.id}$`));
  await expect(page.getByTestId("effective-derivation")).toHaveText(
    `${count(model.effectiveLimit!)} prompt tokens of the ${count(source!.contextApplied!)}-token window that passed (run #${runId})`,
  );

  await expect(page.getByRole("listitem").filter({ hasText: `Run #${runId}` })).toContainText(
    "started by web",
  );

  // The History card and the Probes card count the same probes.
  const shortTotal = all.filter((probe) => probe.kind === "loadable").length;
  const filledTotal = all.filter((probe) => probe.kind === "effective").length;
  await expect(page.getByTestId("history-counts")).toContainText(
    new RegExp(
      `^${shortTotal} short checks: .*\\. ${filledTotal} filled-window checks, in the Recall chart: `,
    ),
  );
  await expect(page.getByTestId("probe-counts")).toContainText(
    `${all.length} probes: ${shortTotal} short checks, ${filledTotal} filled-window checks;`,
  );
  await expect(page.getByRole("heading", { name: `Probes (${all.length})` })).toBeVisible();
  await expect(page.getByTestId("probe-row")).toHaveCount(all.length);
  await expect(
    page.getByTestId("probe-row").getByTestId("probe-check").getByText("Filled window"),
  ).toHaveCount(filledTotal);

  // The table shows the same: a filled check's codes on one line, a short check's question and number.
  const rows = page.getByTestId("probe-row");
  const lastCodes = filled.at(-1)!.expectedAnswer!.split("\n");
  await expect(rows.first()).toContainText(`${lastCodes.length} needle questions`);
  await expect(rows.first().getByTestId("probe-expected")).toHaveText(lastCodes.slice(0, 8).join(" "));
  await expect(rows.first()).toContainText(`and ${lastCodes.length - 8} more`);
  await expect(rows.last()).toContainText("Write 'ninety-six' as a number using only digits");
  await expect(rows.last().getByTestId("probe-expected")).toHaveText("96");

  // Every context axis is ticked at round sizes (0, 8K, 16K, … for a 32K model), the speeds at round rates.
  const ticksOf = async (chart: string, axis: "x" | "y") => {
    const ticks = page
      .getByTestId(chart)
      .locator(`.recharts-${axis}Axis-tick-labels .recharts-cartesian-axis-tick-value`);
    // The charts are drawn once their width is known.
    await expect(ticks.first()).toBeVisible();
    return ticks.allTextContents();
  };
  for (const [chart, axis] of [
    ["history-chart", "y"],
    ["recall-chart", "x"],
    ["speed-chart", "x"],
  ] as const) {
    // Round values from 0 in one even step (which step depends on the sizes the search probed).
    const ticks = await ticksOf(chart, axis);
    expect(ticks[0], chart).toBe("0");
    expect(ticks.length, chart).toBeGreaterThanOrEqual(3);
    for (const tick of ticks) expect(tick, chart).toMatch(/^(0|\d+K)$/);
    const step = Number.parseInt(ticks[1]!, 10);
    expect(ticks, chart).toEqual(ticks.map((_, index) => (index === 0 ? "0" : `${index * step}K`)));
  }
  expect(await ticksOf("recall-chart", "y")).toEqual(["0%", "25%", "50%", "75%", "100%"]);
  const rates = (await ticksOf("speed-chart", "y")).filter((tick) => !tick.endsWith(" s"));
  expect(rates.length).toBeGreaterThan(1);
  for (const tick of rates) expect(tick).toMatch(/^[125](0*|,000)*$|^0\.[125]$/);

  // At a phone's width the probe log of the run stays within the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("probe-log-entry")).toHaveCount(probes.length);
  for (const box of await page
    .getByTestId("probe-log-entry")
    .evaluateAll((nodes) => nodes.map((node) => node.getBoundingClientRect().right))) {
    expect(box).toBeLessThanOrEqual(390);
  }
});

test("a run without the effective check has no Effective column and says the check was off", async ({
  page,
  request,
}) => {
  const runId = await startRun(request, {
    hostId: lab.host.id,
    modelKeys: [MODEL],
    options: { fixedContext: 4_096, reset: true },
  });
  expect(await waitForRunEnd(request, runId)).toBe("completed");
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("run-status")).toHaveText("Completed");
  const results = page.getByRole("table", { name: "Results per model" });
  await expect(results.getByRole("columnheader")).toHaveText([
    "Model",
    "Status",
    "Loadable limit",
    "Declared",
    "Efficiency",
    "Probes",
  ]);
  await expect(page.getByTestId("effective-result")).toHaveCount(0);
  await expect(page.getByTestId("run-effective")).toHaveText("off");
  await expect(page.getByTestId("run-strategy")).toHaveCount(0);
  await expect(page.getByRole("definition").filter({ hasText: "4,096 tokens" })).toBeVisible();
  // Its one probe is a short check, with the question asked and the answer expected.
  const entry = page.getByTestId("probe-log-entry");
  await expect(entry).toHaveCount(1);
  await expect(entry.getByTestId("probe-check")).toHaveText("Short check");
  await expect(entry.getByTestId("probe-expected").first()).toHaveText("96");
});
