import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import { CHECK_PROMPTS, needleCount } from "@lmstrix/core";
import { type SimulatedModel, SimulatedRuntime } from "@lmstrix/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { executeOnStore, GiB, SMALL_MODEL, startRun, useTempStore } from "../test/support/engine-harness";
import { applyMigrations, readMigrations } from "./migrate";
import { openDatabase } from "./open-database";
import { databasePath, databaseUrl } from "./paths";
import { PrismaStore } from "./prisma-store";

/** What a probe asked, and what it expected, kept beside the reply (the probe logs show them side by side). */
describe("the questions and expected answers of probes", () => {
  const temp = useTempStore();
  const model: SimulatedModel = { ...SMALL_MODEL, declaredContext: 16_384, effectiveContext: 6_000 };

  it("keeps each short check's expected number and each needle's code, one line per question", async () => {
    const runtime = new SimulatedRuntime({ models: [model], memoryBytes: 16 * GiB });
    const { run } = await startRun(temp.store, { modelKeys: [model.modelKey], effective: true });
    const { events } = await executeOnStore(temp.store, runtime, run.id);
    const probes = await temp.store.listRunProbes(run.id);

    const short = probes.filter((probe) => probe.kind === "loadable" && probe.outcome === "pass");
    expect(short.length).toBeGreaterThan(0);
    for (const probe of short) {
      // The simulated model answers the first check, so the second is never asked.
      expect(probe.prompt).toBe(CHECK_PROMPTS[0].prompt);
      expect(probe.expectedAnswer).toBe("96");
    }

    const filled = probes.filter((probe) => probe.kind === "effective");
    expect(filled.length).toBeGreaterThan(1);
    for (const probe of filled) {
      const [header, ...questions] = probe.prompt!.split("\n");
      // As many needles as the window's check asks, canaries at 0 % and 100 % included.
      const needles = needleCount(probe.contextApplied!);
      expect(header).toMatch(/^Filled prompt of [\d,]+ tokens: /);
      expect(header).toContain(`: ${needles} needles (canaries at 0% and 100%, ${needles - 2} spread from `);
      expect(questions).toHaveLength(needles);
      expect(questions.every((question) => /^What is the secret code for .+\?$/.test(question))).toBe(true);
      const codes = probe.expectedAnswer!.split("\n");
      expect(codes).toHaveLength(needles);
      expect(codes.every((code) => /^\d{5}$/.test(code))).toBe(true);
      // A pass recalled every code: the reply holds each expected one.
      if (probe.outcome === "pass") for (const code of codes) expect(probe.reply).toContain(code);
    }

    // The live log gets them with each finished probe.
    const announced = events.filter((event) => event.type === "probe.finished");
    expect(announced).toHaveLength(probes.length);
    for (const event of announced) {
      const probe = probes.find((candidate) => candidate.id === event.payload.probeId)!;
      expect(event.payload).toMatchObject({
        kind: probe.kind,
        prompt: probe.prompt,
        expectedAnswer: probe.expectedAnswer,
      });
    }
  });
});

describe("probes written before the expected answer was kept", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("stay readable after the migration, with no expected answer", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lmstrix-expected-"));
    dirs.push(dir);
    const migrations = await readMigrations();
    const added = migrations.findIndex((migration) => migration.name.endsWith("_probe_expected_answer"));
    expect(added).toBeGreaterThan(0);
    const client = createClient({ url: databaseUrl(databasePath(dir)) });
    await applyMigrations(client, migrations.slice(0, added));
    await client.executeMultiple(`
      INSERT INTO "Host" (id, name, url, updatedAt) VALUES (1, 'h', 'ws://127.0.0.1:1234', CURRENT_TIMESTAMP);
      INSERT INTO "Model" (id, hostId, modelKey, displayName, type, path, sizeBytes, declaredContext)
        VALUES (1, 1, 'm', 'm', 'llm', 'p', 1, 4096);
      INSERT INTO "Run" (id, hostId, mode) VALUES (1, 1, 'single');
      INSERT INTO "Probe" (id, runId, modelId, contextRequested, outcome, prompt, reply)
        VALUES (1, 1, 1, 2048, 'pass', 'Write ''ninety-six'' as a number using only digits', '96');
    `);
    client.close();

    const db = await openDatabase({ dataDir: dir });
    try {
      expect(db.appliedMigrations).toContain(migrations[added]!.name);
      const [probe] = await new PrismaStore(db.prisma).listRunProbes(1);
      expect(probe).toMatchObject({
        outcome: "pass",
        prompt: CHECK_PROMPTS[0].prompt,
        reply: "96",
        expectedAnswer: null,
      });
    } finally {
      await db.close();
    }
  });
});
