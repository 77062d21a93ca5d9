import type { FitResult, Matrix } from "@lmstrix/core";
import { openDatabase } from "@lmstrix/db";
import type { FleetInput } from "@lmstrix/lmstudio-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GiB, llm } from "./support/fleet";
import { startTwoHosts, type TwoHosts } from "./support/two-hosts";

/** Two machines: the first has alpha in two quantisations, the second alpha under a publisher's key. */
const FIRST: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [
    llm("alpha", { maxContextLength: 8_192 }),
    llm("alpha@q8_0", { maxContextLength: 8_192, quantization: { name: "Q8_0", bits: 8 } }),
    llm("beta", { maxContextLength: 16_384 }),
  ],
};
const SECOND: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [llm("test/alpha", { maxContextLength: 8_192 }), llm("beta", { maxContextLength: 16_384 })],
};

interface ListedModel {
  id: string;
  host: string;
  tested_max_context: number | null;
}

describe("matrix and fit across two hosts", () => {
  let hosts: TwoHosts;
  const cli = (...argv: string[]) => hosts.cli(...argv);

  beforeAll(async () => {
    hosts = await startTwoHosts(
      { local: FIRST, gpu2: SECOND },
      [3, 4],
      [
        ["test", "alpha"],
        ["test", "beta", "--host", "gpu2"],
      ],
    );
  });
  afterAll(() => hosts.close());

  it("matrix shows base models × hosts with the measured limits, untested cells marked", async () => {
    const listed = JSON.parse((await cli("list", "--show", "json")).stdout) as ListedModel[];
    const limitOf = (host: string, key: string) =>
      listed.find((model) => model.host === host && model.id === key)?.tested_max_context;
    const result = await cli("matrix", "--json");
    expect(result.code, result.stderr).toBe(0);
    const matrix = JSON.parse(result.stdout) as Matrix;
    expect(matrix.hosts.map((host) => host.name)).toEqual(["gpu2", "local"]);
    expect(matrix.groups.map((group) => group.base)).toEqual(["alpha", "beta"]);
    const [alpha, alphaQ8] = matrix.groups[0]?.rows ?? [];
    expect(alpha?.variant).toBe("q4_k_m");
    expect(alpha?.cells.map((cell) => cell?.modelKey)).toEqual(["test/alpha", "alpha"]);
    expect(alpha?.cells[1]).toMatchObject({ untested: false, loadableLimit: limitOf("local", "alpha") });
    expect(alpha?.cells[1]?.genTokensPerSec).toBeGreaterThan(0);
    expect(alpha?.cells[0]).toMatchObject({ untested: true, testStatus: "untested" });
    expect(alphaQ8?.cells.map((cell) => cell?.modelKey ?? null)).toEqual([null, "alpha@q8_0"]);
    const beta = matrix.groups[1]?.rows[0]?.cells ?? [];
    expect(beta[0]).toMatchObject({ untested: false, loadableLimit: limitOf("gpu2", "beta") });
    expect(beta[1]).toMatchObject({ untested: true });

    const table = (await cli("matrix")).stdout;
    expect(table).toContain("Models × hosts");
    expect(table).toMatch(/│ alpha\s+│ q4_k_m\s+│ untested\s+│ 8,192 \/ - · \d+\.\d tok\/s\s+│/);
    expect(table).toContain("Cells: loadable / effective limit (tokens) · generation speed at the limit.");
  });

  it("marks a result measured under another LM Studio version as stale, with the reason", async () => {
    const db = await openDatabase({ dataDir: hosts.data.dir });
    try {
      await db.prisma.model.updateMany({
        where: { modelKey: "alpha" },
        data: { measuredLmStudioVersion: "0.3.20" },
      });
      await db.prisma.host.update({ where: { name: "local" }, data: { lmStudioVersion: "0.4.21" } });
    } finally {
      await db.close();
    }
    const matrix = JSON.parse((await cli("matrix", "--json")).stdout) as Matrix;
    expect(matrix.groups[0]?.rows[0]?.cells[1]?.stale).toEqual(["LM Studio 0.3.20 → 0.4.21"]);
    const table = (await cli("matrix")).stdout;
    expect(table).toContain("  ⚠ alpha on local: LM Studio 0.3.20 → 0.4.21");

    const fits = JSON.parse((await cli("fit", "--tokens", "8,000", "--json")).stdout) as FitResult[];
    // Both serve 8,000 tokens; the stale one comes after the current one.
    expect(fits.map((fit) => [fit.modelKey, fit.hostName])).toEqual([
      ["beta", "gpu2"],
      ["alpha", "local"],
    ]);
    expect(fits[1]?.stale).toEqual(["LM Studio 0.3.20 → 0.4.21"]);
  });

  it("fit finds what serves the tokens at the speed, best first", async () => {
    const fits = JSON.parse(
      (await cli("fit", "--tokens", "10000", "--min-tps", "1", "--json")).stdout,
    ) as FitResult[];
    expect(fits.map((fit) => [fit.modelKey, fit.hostName, fit.limitKind])).toEqual([
      ["beta", "gpu2", "loadable"],
    ]);
    expect(fits[0]?.speedContext).toBeGreaterThanOrEqual(10_000);
    const table = await cli("fit", "--tokens", "10000");
    expect(table.stdout).toContain("What fits, best first");
    expect(table.stdout).toMatch(/│ 1 │ beta\s+│ gpu2 │ 16,384 \(loadable\) │/);
    expect((await cli("fit", "--tokens", "10000", "--min-tps", "100000")).stdout).toBe(
      "No tested model serves 10,000 tokens at 100000 tok/s or faster by measurement.\n",
    );
    expect((await cli("fit", "--tokens", "100", "--type", "embedding")).stdout).toBe(
      "No tested embedding model serves 100 tokens by measurement.\n",
    );
  });

  it("refuses bad input with a pointer to the help", async () => {
    const cases: [string[], string][] = [
      [["fit"], "fit needs --tokens N"],
      [["fit", "--tokens", "lots"], '--tokens must be a whole number between 1 and 10,000,000; got "lots"'],
      [["fit", "--tokens", "0"], "--tokens must be a whole number between 1 and 10,000,000"],
      [
        ["fit", "--tokens", "100", "--min-tps", "-3"],
        '--min-tps must be a number between 0 and 100000; got "-3"',
      ],
      [["fit", "--tokens", "100", "--type", "vision"], '--type must be one of llm, embedding; got "vision"'],
      [["matrix", "wide"], 'matrix takes no arguments, got "wide"'],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(...argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain(`Run "pnpm lmstrix help ${argv[0]}" for usage.`);
    }
    expect((await cli("help", "fit")).stdout).toContain("Usage: lmstrix fit --tokens N [--min-tps X]");
    // An unknown command, asked of help too, points at the list of commands.
    for (const argv of [["bogus"], ["help", "bogus"]]) {
      const result = await cli(...argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr).toContain('unknown command "bogus"');
      expect(result.stderr).toContain('Run "pnpm lmstrix help" for usage.');
    }
  });
});
