import type { HealthReport } from "@lmstrix/db";
import { describe, expect, it } from "vitest";
import { listedModels } from "../commands/list";
import { healthHeadline, renderHealthReport } from "./health-report";
import { describeChange } from "./import-summary";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));

describe("list after an import", () => {
  it("shows present models and those imported since the host's last scan; hides the ones a scan found gone", () => {
    const models = [
      { key: "scanned", hostId: 1, isPresent: true, lastSeenAt: at(10) },
      { key: "gone", hostId: 1, isPresent: false, lastSeenAt: at(5) },
      { key: "imported-later", hostId: 1, isPresent: false, lastSeenAt: at(20) },
      { key: "never-scanned-host", hostId: 2, isPresent: false, lastSeenAt: at(1) },
    ];
    expect(listedModels(models).map((model) => model.key)).toEqual([
      "scanned",
      "imported-later",
      "never-scanned-host",
    ]);
  });
});

describe("import summary", () => {
  it("words field changes with the table's names and number formats", () => {
    expect(describeChange({ field: "loadableLimit", from: null, to: 32_768 })).toBe(
      "loadable limit - → 32,768",
    );
    expect(describeChange({ field: "testStatus", from: "untested", to: "completed" })).toBe(
      "status untested → completed",
    );
    expect(describeChange({ field: "lastTestedAt", from: null, to: "2025-07-24T14:10:31.998Z" })).toBe(
      "tested at - → 2025-07-24 14:10 UTC",
    );
    expect(describeChange({ field: "extraJson", from: null, to: '{"a":1}' })).toBe("extra fields merged");
  });
});

describe("health report", () => {
  const report = (overrides: Partial<HealthReport> = {}): HealthReport => ({
    status: "ok",
    checkedAt: at(0),
    database: {
      path: "/data/lmstrix.db",
      sizeBytes: 3 * 1024 ** 2,
      walBytes: 0,
      migrationVersion: "20260101000000_init",
      latestMigration: "20260101000000_init",
      pendingMigrations: [],
      unknownMigrations: [],
    },
    integrity: { ok: true, result: ["ok"], foreignKeyViolations: [] },
    counts: { hosts: 1, models: 1_234, runs: 1, probes: 0 },
    problems: [],
    snapshots: [],
    ...overrides,
  });

  it("starts with a status line, then database, problems, snapshots and what to do", () => {
    const text = renderHealthReport(report());
    expect(text).toMatchInlineSnapshot(`
      "Health: OK — no problems found

      Database
        file         /data/lmstrix.db
        size         3.0 MB
        migration    20260101000000_init (up to date)
        integrity    ok
        foreign keys ok
        contents     1 host, 1,234 models, 1 run, 0 probes

      Problems: none

      Snapshots: none yet (one is taken before every run, import, restore and repair)
      "
    `);
  });

  it("counts problems by severity and points at --repair", () => {
    const problems = [
      {
        kind: "stale-running-run",
        severity: "warning",
        message: "Run #3 is stale",
        ids: {},
        repairable: true,
      },
      { kind: "open-probe", severity: "info", message: "Probe #9 resumes", ids: {}, repairable: false },
      { kind: "good-not-below-bad", severity: "warning", message: "Model x", ids: {}, repairable: false },
    ] as const;
    const warned = report({ status: "warning", problems: [...problems] });
    expect(healthHeadline(warned)).toBe("Health: WARNING — 2 warnings, 1 note");
    const text = renderHealthReport(warned);
    expect(text).toContain("  ⚠ warning  Run #3 is stale  [--repair fixes it]\n");
    expect(text).toContain("  · note     Probe #9 resumes\n");
    expect(text).toContain('Run "pnpm lmstrix health --repair" to fix the 1 repairable problem (a snapshot');
    expect(renderHealthReport(warned, { repaired: true })).not.toContain('--repair" to fix');
  });
});
