import type { FleetInput } from "@lmstrix/lmstudio-emulator";
import { describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli";
import { useEmulatorHost } from "./support/emulator-host";
import { GiB, llm } from "./support/fleet";

/** The same model on the same machine before and after an upgrade that leaves it less memory. */
const BEFORE: FleetInput = { memoryBytes: 8 * GiB, lmStudioVersion: "0.3.20", models: [llm("qwen")] };
const AFTER: FleetInput = { ...BEFORE, memoryBytes: 4 * GiB, lmStudioVersion: "0.4.21" };

interface Report {
  run: { id: number; status: string; options: { modelKeys: string[] } };
  results: { modelKey: string; status: string; limit: number | null }[];
}

interface ChangesJson {
  changes: {
    hostName: string;
    modelKey: string;
    kind: string;
    from: number;
    to: number;
    direction: string;
    description: string;
  }[];
}

const count = (value: number) => value.toLocaleString("en-US");

describe("lmstrix test --stale and lmstrix changes: an LM Studio upgrade that lowers a limit", () => {
  const lmStudio = useEmulatorHost({ fleet: BEFORE, timeScale: 0.001, seed: 11 });
  const cli = async (argv: string[]) => {
    const result = await runInProcess(argv, lmStudio.env());
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };
  const testJson = async (argv: string[]) =>
    JSON.parse(await cli([...argv, "--cooldown", "0", "--json"])) as Report;

  it("re-tests what was measured under the old version and lists the regression with its cause", async () => {
    const first = await testJson(["test", "qwen"]);
    expect(first.run.status).toBe("completed");
    const before = first.results[0]!.limit!;
    expect(before).toBeGreaterThan(60_000);
    // Measured under the LM Studio the host runs: nothing is stale, nothing changed.
    expect(await cli(["test", "--stale"])).toMatch(/^Nothing is stale on local: /);
    expect(await cli(["changes"])).toMatch(/^No limit changes yet/);

    await lmStudio.emulator.close();
    await lmStudio.restart({ fleet: AFTER });
    const scanned = await cli(["scan"]);
    expect(scanned).toContain("  stale (1): qwen (LM Studio 0.3.20 → 0.4.21)\n");
    expect(scanned).toContain("  re-test them with: lmstrix test --stale\n");
    const retest = await testJson(["test", "--stale"]);
    expect(retest.run.status).toBe("completed");
    expect(retest.run.options.modelKeys).toEqual(["qwen"]);
    const after = retest.results[0]!.limit!;
    expect(after).toBeLessThan(before / 2);

    const description = `${count(before)} → ${count(after)} after LM Studio 0.3.20 → 0.4.21`;
    const table = await cli(["changes"]);
    expect(table).toContain(description);
    expect(table).toContain("regression");
    const { changes } = JSON.parse(await cli(["changes", "--json"])) as ChangesJson;
    expect(changes).toEqual([
      expect.objectContaining({
        hostName: "local",
        modelKey: "qwen",
        kind: "loadable",
        from: before,
        to: after,
        direction: "regression",
        description,
      }),
    ]);
    expect(JSON.parse(await cli(["changes", "--direction", "improvement", "--json"]))).toEqual({
      changes: [],
    });
    // Measured again under 0.4.21: nothing is stale any more.
    expect(await cli(["test", "--stale"])).toMatch(/^Nothing is stale on local: /);
  });
});
