import { comfortableLimit, DEFAULT_COMFORT_THRESHOLDS } from "@lmstrix/core";
import { type Emulator, type FleetInput, startEmulator } from "@lmstrix/lmstudio-emulator";
import { expect, type Page, test } from "@playwright/test";
import { type HostRow, startRun, trpcMutation, trpcQuery, waitForRunEnd } from "../support/dashboard";
import { openE2eDatabase } from "../support/database";

/**
 * Two LM Studio hosts (an emulator each), a model tested on each, compared from the Models table: the Compare
 * page shows each model's limits as the database has them, and both models as series of each chart.
 */
const GiB = 1024 ** 3;
const LABS = [
  {
    host: "compare-lab-a",
    fleet: {
      memoryBytes: 16 * GiB,
      models: [
        {
          modelKey: "compare-alpha-8b",
          displayName: "Compare Alpha 8B",
          type: "llm",
          format: "gguf",
          path: "lmstudio-community/compare-alpha-8b-GGUF/compare-alpha-8b-Q4_K_M.gguf",
          sizeBytes: 2_497_280_000,
          architecture: "qwen3",
          paramsString: "8B",
          quantization: { name: "Q4_K_M", bits: 4 },
          maxContextLength: 32_768,
          kvBytesPerToken: 147_456,
          // Loads its whole window, recalls 12,000 tokens: an effective limit below the loadable one.
          effectiveContext: 12_000,
        },
      ],
    } satisfies FleetInput,
    options: { effective: true, cooldownMs: 0 },
  },
  {
    host: "compare-lab-b",
    fleet: {
      // Too little memory for its declared window: the loadable limit is found below it.
      memoryBytes: 8 * GiB,
      models: [
        {
          modelKey: "compare-beta-4b",
          displayName: "Compare Beta 4B",
          type: "llm",
          format: "gguf",
          path: "lmstudio-community/compare-beta-4b-GGUF/compare-beta-4b-Q8_0.gguf",
          sizeBytes: 4 * GiB,
          architecture: "llama",
          paramsString: "4B",
          quantization: { name: "Q8_0", bits: 8 },
          maxContextLength: 65_536,
          kvBytesPerToken: 262_144,
        },
      ],
    } satisfies FleetInput,
    options: { cooldownMs: 0 },
  },
];
/** The Compare page's colours of the first and second model (MODEL_COLORS in the app). */
const SERIES_COLORS = ["#0284c7", "#ea580c"];
/** A series' marks: filled in its colour, or outlined in it (short checks on the speed chart). */
const symbolsOf = (color: string) =>
  `.recharts-symbols[fill="${color}"], .recharts-symbols[stroke="${color}"]`;
const count = (value: number | null) => (value === null ? "-" : value.toLocaleString("en-US"));

const emulators: Emulator[] = [];
const hosts: HostRow[] = [];

test.beforeAll(async ({ request }) => {
  for (const [index, lab] of LABS.entries()) {
    const emulator = await startEmulator({ fleet: lab.fleet, timeScale: 0.01, seed: 21 + index });
    emulators.push(emulator);
    const host = await trpcMutation<HostRow>(request, "host.create", { name: lab.host, url: emulator.url });
    await trpcMutation(request, "host.scan", { id: host.id });
    hosts.push(host);
  }
});

test.afterAll(async ({ request }) => {
  const listed = await trpcQuery<HostRow[]>(request, "host.list");
  for (const stale of listed.filter((host) => LABS.some((lab) => lab.host === host.name))) {
    await trpcMutation(request, "host.delete", { id: stale.id });
  }
  for (const emulator of emulators) await emulator.close();
});

/** Each lab's model with its limits and probes, as the database has them (in the labs' order). */
async function stored() {
  const db = await openE2eDatabase();
  try {
    return await Promise.all(
      LABS.map(async (lab) => {
        const model = await db.prisma.model.findFirstOrThrow({
          where: { modelKey: lab.fleet.models[0]!.modelKey, host: { name: lab.host } },
          select: {
            id: true,
            displayName: true,
            loadableLimit: true,
            effectiveLimit: true,
            declaredContext: true,
          },
        });
        const probes = await db.prisma.probe.findMany({
          where: { modelId: model.id },
          orderBy: { id: "asc" },
        });
        return { ...model, probes, label: `${model.displayName} on ${lab.host}` };
      }),
    );
  } finally {
    await db.close();
  }
}

async function expectProblem(page: Page, models: string, message: string | RegExp) {
  await page.goto(`/compare?models=${models}`);
  await expect(page.getByRole("heading", { name: "Compare models", level: 1 })).toBeVisible();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(message);
  await expect(page.getByRole("link", { name: "Back to all models" })).toBeVisible();
}

test("two models of two hosts, selected in the Models table, compare side by side", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const runIds = await Promise.all(
    LABS.map((lab, index) =>
      startRun(request, {
        hostId: hosts[index]!.id,
        modelKeys: [lab.fleet.models[0]!.modelKey],
        options: lab.options,
      }),
    ),
  );
  for (const runId of runIds) expect(await waitForRunEnd(request, runId, 120_000)).toBe("completed");
  const models = await stored();
  const [alpha, beta] = models;
  expect(alpha!.effectiveLimit).not.toBeNull();
  expect(beta!.loadableLimit).not.toBeNull();
  expect(beta!.loadableLimit!).toBeLessThan(beta!.declaredContext);

  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${page.url()}: uncaught ${error.message}`));

  // Selected in the Models table: Compare needs two of them.
  await page.goto("/models");
  await page.getByLabel("Search").fill("compare-");
  const compare = page.getByRole("button", { name: "Compare", exact: true });
  await expect(compare).toBeDisabled();
  await page
    .getByRole("row", { name: /compare-alpha-8b/ })
    .getByRole("checkbox")
    .check();
  await expect(compare).toBeDisabled();
  await expect(page.getByText("Compare needs at least 2 models (1 is selected).")).toBeVisible();
  await page
    .getByRole("row", { name: /compare-beta-4b/ })
    .getByRole("checkbox")
    .check();
  await page.getByRole("link", { name: "Compare", exact: true }).click();
  await expect(page).toHaveURL(`/compare?models=${alpha!.id},${beta!.id}`);

  await expect(page.getByRole("heading", { name: "Compare models", level: 1 })).toBeVisible();
  const table = page.getByTestId("compare-limits");
  for (const model of models)
    await expect(table.getByRole("link", { name: model.displayName })).toBeVisible();
  const cells = (row: string) => page.getByTestId(`compare-row-${row}`).getByRole("cell");
  await expect(cells("host")).toHaveText(LABS.map((lab) => lab.host));
  await expect(cells("quantization")).toHaveText(["Q4_K_M", "Q8_0"]);
  await expect(cells("declared")).toHaveText(models.map((model) => count(model.declaredContext)));
  for (const [index, model] of models.entries()) {
    await expect(cells("loadable").nth(index)).toContainText(count(model.loadableLimit));
    await expect(cells("effective").nth(index)).toContainText(count(model.effectiveLimit));
    // Core's comfortable-limit rule with the default thresholds (none are stored in this browser).
    const comfortable = comfortableLimit(model.probes, DEFAULT_COMFORT_THRESHOLDS, model);
    await expect(cells("comfortable").nth(index)).toContainText(
      comfortable.context === null ? comfortable.reason : count(comfortable.context),
    );
  }

  // Both models are series of each chart, in their own colours, and named in its key.
  for (const chart of ["history", "speed"]) {
    const figure = page.getByTestId(`compare-${chart}-chart`);
    await expect(figure).toBeVisible();
    const key = page.getByTestId(`compare-${chart}-key`);
    for (const [index, model] of models.entries()) {
      await expect(key).toContainText(model.label);
      await expect(figure.locator(symbolsOf(SERIES_COLORS[index]!)).first()).toBeVisible();
    }
  }
  // Alpha's run measured its effective limit too: the history chart draws it beside the loadable one; Beta's
  // run did not, so its series has none.
  const caption = page.getByTestId("compare-history-chart").locator("figcaption");
  await expect(caption).toContainText(
    `, latest effective limit ${count(alpha!.effectiveLimit)} tokens (1 run). ${beta!.label}:`,
  );
  expect((await caption.textContent())?.split(`${beta!.label}:`)[1]).not.toContain("effective");
  await expect(page.getByTestId("compare-history-key")).toContainText("● a run's effective limit");
  await page.waitForLoadState("networkidle");
  expect(errors, "console errors").toEqual([]);
});

test("a wrong address says what is wrong instead of comparing", async ({ page, request }) => {
  const [first] = await trpcQuery<{ id: number }[]>(request, "model.list");
  await expectProblem(page, `${first!.id}`, "Compare needs at least 2 models (1 is given).");
  await expectProblem(page, "1,2,3,4,5", "Compare takes at most 4 models (5 are given).");
  await expectProblem(page, "abc,2", "Model ids are positive whole numbers; “abc” is not.");
  await expectProblem(page, "", /Choose 2 to 4 models to compare/);
  await expectProblem(page, `${first!.id},999999`, "Could not load the models: No model with id 999999");
});
