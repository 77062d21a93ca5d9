import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FleetInput } from "@lmstrix/lmstudio-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli";
import { useEmulatorHost } from "./support/emulator-host";
import { GiB, llm } from "./support/fleet";

/**
 * A model that loads but recalls too little from any full window: averaged over the depths, about 72 % of its
 * needles even in a short prompt, below the default 85.6 %. Its effective search finds no limit, and every
 * command says so: none found is a measurement, not "not measured", and it serves no request.
 */
const FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [
    llm("forgetful", { recall: { at50: 16_000, width: 2_500, middleDip: 0.4, base: 0.97 } }),
    llm("plain"),
  ],
};
const NONE_FOUND = "none found: no size recalled 85.6% of its needles";

describe("a model whose effective search found no limit", () => {
  const lmStudio = useEmulatorHost({ fleet: FLEET, timeScale: 0, seed: 11 });
  const home = mkdtempSync(path.join(tmpdir(), "lmstudio-home-"));
  const cli = (argv: string[]) => runInProcess(argv, lmStudio.env({ LMSTUDIO_HOME: home }));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  beforeAll(async () => {
    const effective = await cli(["test", "forgetful", "--effective", "--cooldown", "0", "--json"]);
    expect(effective.code, effective.stderr).toBe(0);
    const result = (
      JSON.parse(effective.stdout) as {
        results: { effective?: { limit: number | null; noneFound?: boolean } }[];
      }
    ).results[0];
    expect(result?.effective).toMatchObject({ limit: null, noneFound: true });
    expect(effective.stderr).toContain("effective limit none found");
    const plain = await cli(["test", "plain", "--cooldown", "0"]);
    expect(plain.code, plain.stderr).toBe(0);
  }, 180_000);

  it("is listed as none found, with the threshold it was read at; a model never searched is not", async () => {
    const table = await cli(["list"]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/forgetful.*none found/);
    expect(table.stdout).not.toMatch(/plain.*none found/);
    const json = await cli(["list", "--show", "json"]);
    const models = JSON.parse(json.stdout) as {
      id: string;
      tested_max_context: number | null;
      effective_limit: number | null;
      effective_recall_threshold: number | null;
    }[];
    const forgetful = models.find((model) => model.id === "forgetful");
    expect(forgetful).toMatchObject({ effective_limit: null, effective_recall_threshold: 0.856 });
    expect(forgetful?.tested_max_context).toBeGreaterThan(4_096);
    expect(models.find((model) => model.id === "plain")).toMatchObject({
      effective_limit: null,
      effective_recall_threshold: null,
    });
  });

  it("serves no request in `fit`, and reads none found in the matrix and `compare`", async () => {
    const fits = await cli(["fit", "--tokens", "4096", "--json"]);
    expect(fits.code, fits.stderr).toBe(0);
    expect((JSON.parse(fits.stdout) as { modelKey: string }[]).map((fit) => fit.modelKey)).toEqual(["plain"]);
    const matrix = await cli(["matrix"]);
    expect(matrix.code, matrix.stderr).toBe(0);
    expect(matrix.stdout).toMatch(/forgetful.* \/ none found/);
    const compared = await cli(["compare", "forgetful", "plain"]);
    expect(compared.code, compared.stderr).toBe(0);
    expect(compared.stdout).toContain(`- (${NONE_FOUND})`);
    expect(compared.stdout).toContain("- (not measured)");
    // No comfortable limit and no speed at a limit it does not have.
    expect(compared.stdout).toContain(
      "- (Its effective search found no limit: no size recalled 85.6% of its needles.)",
    );
  });

  it("refuses to apply an effective limit it does not have, and says why", async () => {
    const applied = await cli(["apply", "forgetful", "--limit", "effective", "--dry-run"]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain(
      "forgetful has no effective limit: no size recalled 85.6% of its needles (apply another --limit)",
    );
    // Nor a comfortable one: it is comfortable at no size, however fast it loads.
    const comfortable = await cli(["apply", "forgetful", "--limit", "comfortable", "--dry-run"]);
    expect(comfortable.code).toBe(1);
    expect(comfortable.stderr).toContain(
      "forgetful has no comfortable limit: no size recalled 85.6% of its needles",
    );
    const notMeasured = await cli(["apply", "plain", "--limit", "effective", "--dry-run"]);
    expect(notMeasured.stderr).toContain("plain has no effective limit measured yet");
  });
});
