import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const biome = path.join(repoRoot, "node_modules/.bin/biome");

// A scratch copy of the repository's Biome configuration, so fixtures never land in the real tree.
const scratch = mkdtempSync(path.join(tmpdir(), "lmstrix-lint-"));
const config = JSON.parse(readFileSync(path.join(repoRoot, "biome.json"), "utf8"));
delete config.$schema;
delete config.vcs;
config.files = { includes: ["**"] };
writeFileSync(path.join(scratch, "biome.json"), JSON.stringify(config));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Lints `source` as if it were the file at `filePath` in the repository. */
function lintAs(filePath: string, source: string) {
  const file = path.join(scratch, filePath);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, source);
  const result = spawnSync(biome, ["lint", filePath], { cwd: scratch, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("dependency rule (DESIGN.md): packages/core imports neither the SDK, Prisma nor Next", () => {
  for (const specifier of ["@lmstudio/sdk", "@prisma/client", "next/server", "@lmstrix/db"]) {
    it(`rejects ${specifier} in packages/core`, () => {
      const name = specifier.replace(/\W/g, "-");
      const result = lintAs(
        `packages/core/src/engine/${name}.ts`,
        `import * as dependency from "${specifier}";\n\nexport const used = dependency;\n`,
      );
      expect(result.status).not.toBe(0);
      expect(result.output).toContain("packages/core stays free of the LM Studio SDK, Prisma and Next");
    });
  }

  it("allows the same import outside core", () => {
    const result = lintAs(
      "packages/db/src/example.ts",
      `import * as dependency from "@prisma/client";\n\nexport const used = dependency;\n`,
    );
    expect(result.output).not.toContain("packages/core stays free");
    expect(result.status).toBe(0);
  });
});
