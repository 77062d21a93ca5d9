import type { ModelComparison } from "@lmstrix/core";
import { openDatabase } from "@lmstrix/db";
import type { FleetInput } from "@lmstrix/lmstudio-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GiB, KiB, llm } from "./support/fleet";
import { startTwoHosts, type TwoHosts } from "./support/two-hosts";

/** alpha's cache outgrows the first machine before its declared context; beta recalls only 10,000 tokens. */
const FIRST: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [llm("alpha", { maxContextLength: 65_536, kvBytesPerToken: 128 * KiB })],
};
const SECOND: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [
    llm("beta", { maxContextLength: 16_384, effectiveContext: 10_000 }),
    llm("gamma", { maxContextLength: 4_096 }),
  ],
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** What the comparison's JSON holds, dates as text. */
type ComparisonJson = Omit<ModelComparison, "models"> & {
  models: (Omit<ModelComparison["models"][number], "lastTestedAt"> & { lastTestedAt: string | null })[];
};

describe("compare across two hosts", () => {
  let hosts: TwoHosts;
  const cli = (...argv: string[]) => hosts.cli(...argv);

  beforeAll(async () => {
    hosts = await startTwoHosts(
      { local: FIRST, gpu2: SECOND },
      [5, 6],
      [
        ["test", "alpha"],
        ["test", "beta", "--host", "gpu2", "--effective"],
      ],
    );
  });
  afterAll(() => hosts.close());

  it("sets the models side by side with the figures the database holds", async () => {
    const result = await cli("compare", "alpha", "gpu2:beta", "gpu2:gamma", "--json");
    expect(result.code, result.stderr).toBe(0);
    const comparison = JSON.parse(result.stdout) as ComparisonJson;
    expect(comparison.thresholds).toEqual({ minGenTokensPerSec: 10, maxTtftSec: 30 });
    expect(comparison.models.map((model) => [model.host.name, model.modelKey])).toEqual([
      ["local", "alpha"],
      ["gpu2", "beta"],
      ["gpu2", "gamma"],
    ]);

    const db = await openDatabase({ dataDir: hosts.data.dir });
    try {
      for (const figures of comparison.models) {
        const stored = await db.prisma.model.findUniqueOrThrow({ where: { id: figures.id } });
        expect(figures).toMatchObject({
          modelKey: stored.modelKey,
          displayName: stored.displayName,
          quantization: stored.quantization,
          testStatus: stored.testStatus,
          declaredContext: stored.declaredContext,
          loadableLimit: stored.loadableLimit,
          effectiveLimit: stored.effectiveLimit,
          lastTestedAt: stored.lastTestedAt?.toISOString() ?? null,
          isPresent: true,
        });
        expect(figures.host.id).toBe(stored.hostId);
        const limit = stored.effectiveLimit ?? stored.loadableLimit;
        const passing = await db.prisma.probe.findMany({
          where: { modelId: stored.id, outcome: "pass", genTokensPerSec: { not: null } },
        });
        const windowOf = (probe: (typeof passing)[number]) => probe.contextApplied ?? probe.contextRequested;
        const point = figures.generationAtLimit;
        if (limit === null) {
          expect(point).toBeNull();
          expect(figures.comfortable.context).toBeNull();
          continue;
        }
        expect(figures.loadableShareOfDeclared).toBeCloseTo(
          (stored.loadableLimit ?? 0) / stored.declaredContext,
        );
        // The speed at the limit is a stored probe's, at the largest window with a speed within the limit.
        const atLimit = passing.find((probe) => probe.id === point?.probeId);
        expect(atLimit).toBeDefined();
        expect(point).toMatchObject({
          context: windowOf(atLimit!),
          genTokensPerSec: atLimit!.genTokensPerSec,
        });
        const largest = Math.max(...passing.map(windowOf).filter((window) => window <= limit));
        expect(point?.context).toBe(largest);
        // The comfortable limit is a stored probe within the limit that meets both thresholds.
        const { comfortable } = figures;
        if (comfortable.context === null) throw new Error(`no comfortable limit: ${comfortable.reason}`);
        const basis = passing.find((probe) => probe.id === comfortable.point.probeId)!;
        expect(comfortable.context).toBe(windowOf(basis));
        expect(comfortable.context).toBeLessThanOrEqual(limit);
        expect(basis.genTokensPerSec).toBeGreaterThanOrEqual(10);
        expect(basis.timeToFirstTokenMs).toBeLessThanOrEqual(30_000);
      }
    } finally {
      await db.close();
    }
    const [alpha, beta, gamma] = comparison.models;
    // What the fleet was made to show: a loadable limit short of the declared context, an effective limit
    // below the loadable one with its speed from a filled-window check.
    expect(alpha?.loadableLimit).toBeLessThan(alpha?.declaredContext ?? 0);
    expect(beta?.effectiveLimit).toBeLessThan(beta?.loadableLimit ?? 0);
    expect(beta?.generationAtLimit?.kind).toBe("filled");
    expect(gamma).toMatchObject({ testStatus: "untested", loadableLimit: null, generationAtLimit: null });
  });

  it("prints a column per model with the Compare page's rows", async () => {
    const comparison = JSON.parse(
      (await cli("compare", "alpha", "gpu2:beta", "--json")).stdout,
    ) as ComparisonJson;
    const [alpha, beta] = comparison.models;
    const result = await cli("compare", "beta", "local:alpha", "--host", "gpu2");
    expect(result.code, result.stderr).toBe(0);
    const table = result.stdout;
    expect(table).toContain("Models compared");
    expect(table).toMatch(/│\s+│ beta\s+│ alpha\s+│/);
    for (const label of [
      "Host",
      "Quantisation",
      "Status",
      "Declared",
      "Loadable limit",
      "Effective limit",
      "Comfortable limit",
      "Generation at the limit",
      "Last tested",
    ]) {
      expect(table).toMatch(new RegExp(`│ ${label}\\s+│`));
    }
    expect(table).toMatch(/│ Host\s+│ gpu2\s+│ local\s+│/);
    // Each row's cells as the JSON's figures write them, beta's column first.
    const count = (value: number | null | undefined) => (value ?? 0).toLocaleString("en-US");
    const cells = (label: string, ...texts: string[]) =>
      new RegExp(`│ ${label}\\s+│ ${texts.map((text) => `${escapeRegExp(text)}\\s+`).join("│ ")}│`);
    const loadable = (model: typeof alpha) =>
      `${count(model?.loadableLimit)} (${Math.round((model?.loadableShareOfDeclared ?? 0) * 100)}% of declared)`;
    const speed = (model: typeof alpha) => {
      const point = model?.generationAtLimit;
      const kind = point?.kind === "filled" ? "filled window" : "short check";
      return `${point?.genTokensPerSec?.toFixed(1)} tok/s at ${count(point?.context)} tokens (${kind})`;
    };
    // The status in the words `list` and the dashboard use.
    expect(table).toMatch(cells("Status", "✓ Tested", "✓ Tested"));
    expect(table).toMatch(cells("Declared", count(beta?.declaredContext), count(alpha?.declaredContext)));
    expect(table).toMatch(cells("Loadable limit", loadable(beta), loadable(alpha)));
    expect(table).toMatch(cells("Effective limit", count(beta?.effectiveLimit), "- (not measured)"));
    expect(table).toMatch(cells("Generation at the limit", speed(beta), speed(alpha)));
    expect(speed(beta)).toContain("(filled window)");
    expect(table).toContain("Comfortable: at least 10 tok/s and at most 30 s to the first token");

    const strict = JSON.parse(
      (await cli("compare", "alpha", "gpu2:beta", "--min-tps", "100000", "--max-ttft", "0.5", "--json"))
        .stdout,
    ) as ComparisonJson;
    expect(strict.thresholds).toEqual({ minGenTokensPerSec: 100_000, maxTtftSec: 0.5 });
    expect(strict.models.map((model) => model.comfortable.context)).toEqual([null, null]);
  });

  it("refuses what cannot be compared, naming it", async () => {
    const cases: [string[], number, string][] = [
      [["compare", "alpha"], 2, "compare needs 2 to 4 models; got 1"],
      [["compare", "a", "b", "c", "d", "e"], 2, "compare needs 2 to 4 models; got 5"],
      [["compare", "alpha", "nope"], 2, 'local has no model "nope" (scan it first)'],
      [["compare", "alpha", "gpu2:alpha"], 2, 'gpu2 has no model "alpha" (scan it first)'],
      [["compare", "alpha", "gpu9:beta"], 2, 'unknown host "gpu9"'],
      [["compare", "alpha", "local:alpha"], 2, "Each model can be compared only once"],
      [["compare", "alpha", ":beta"], 2, 'name the host before the ":" (HOST:KEY)'],
      [
        ["compare", "alpha", "gpu2:beta", "--min-tps", "fast"],
        2,
        "--min-tps must be a number between 0 and 100000",
      ],
    ];
    for (const [argv, code, message] of cases) {
      const result = await cli(...argv);
      expect(result.code, argv.join(" ")).toBe(code);
      expect(result.stderr, argv.join(" ")).toContain(message);
      expect(result.stdout).toBe("");
    }
    const help = (await cli("help", "compare")).stdout;
    expect(help).toContain("Usage: lmstrix compare MODEL MODEL [MODEL [MODEL]] [--host NAME]");
    expect(help).toContain("HOST:KEY for a model on another host");
    expect((await cli("help")).stdout).toMatch(/compare\s+2–4 models side by side/);
  });
});
