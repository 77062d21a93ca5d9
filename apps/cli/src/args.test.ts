import { describe, expect, it } from "vitest";
import { parseCommandLine } from "./args";
import { UsageError } from "./errors";

function usageError(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected ${argv.join(" ")} to be refused`);
}

describe("parseCommandLine", () => {
  it("parses test with model keys and every option", () => {
    expect(
      parseCommandLine([
        "test",
        "qwen/qwen3-8b",
        "gemma-3",
        "--host",
        "gpu-box",
        "--threshold",
        "65,536",
        "--precision",
        "512",
        "--cooldown",
        "0.5",
        "--reset",
        "--force",
        "--keep-loaded",
        "--json",
      ]),
    ).toEqual({
      name: "test",
      host: "gpu-box",
      modelKeys: ["qwen/qwen3-8b", "gemma-3"],
      all: false,
      threshold: 65_536,
      ctx: undefined,
      reset: true,
      force: true,
      precision: 512,
      cooldownMs: 500,
      keepLoaded: true,
      json: true,
    });
  });

  it("parses test --all --ctx and leaves unset options undefined (engine defaults apply)", () => {
    expect(parseCommandLine(["test", "--all", "--ctx", "8192"])).toMatchObject({
      name: "test",
      all: true,
      modelKeys: [],
      ctx: 8192,
      threshold: undefined,
      cooldownMs: undefined,
      precision: undefined,
    });
  });

  it("refuses bad numbers with a message naming the flag", () => {
    expect(usageError(["test", "--all", "--threshold", "abc"])).toMatch(
      /--threshold must be a whole number.*"abc"/,
    );
    expect(usageError(["test", "--all", "--ctx", "-5"])).toMatch(/--ctx must be a whole number.*"-5"/);
    expect(usageError(["test", "--all", "--ctx=0"])).toMatch(
      /--ctx must be a whole number between 1 and 10,000,000/,
    );
    expect(usageError(["test", "--all", "--ctx", "20000000"])).toMatch(/--ctx/);
    expect(usageError(["test", "--all", "--ctx", "1.5"])).toMatch(/--ctx/);
    expect(usageError(["test", "--all", "--precision", "0"])).toMatch(/--precision/);
    expect(usageError(["test", "--all", "--cooldown", "-1"])).toMatch(/--cooldown must be a number/);
    expect(usageError(["test", "--all", "--cooldown", "soon"])).toMatch(/--cooldown/);
    expect(usageError(["infer", "hi", "--model", "m", "--temperature", "3"])).toMatch(/--temperature/);
    expect(usageError(["infer", "hi", "--model", "m", "--max-tokens", "x"])).toMatch(/--max-tokens/);
    expect(usageError(["cancel", "abc"])).toMatch(/RUN_ID must be a whole number/);
  });

  it("parses --effective with an optional --recall share, and refuses bad combinations", () => {
    expect(parseCommandLine(["test", "a", "--effective"])).toMatchObject({ effective: true });
    expect(parseCommandLine(["test", "a", "--effective"])).not.toHaveProperty("recallThreshold");
    expect(parseCommandLine(["test", "--all", "--effective", "--recall", "0.66"])).toMatchObject({
      effective: true,
      recallThreshold: 0.66,
    });
    expect(usageError(["test", "a", "--effective", "--recall", "1.5"])).toMatch(
      /--recall must be a number between 0 and 1; got "1.5"/,
    );
    expect(usageError(["test", "a", "--effective", "--recall", "most"])).toMatch(/--recall/);
    expect(usageError(["test", "a", "--recall", "0.5"])).toBe("--recall needs --effective");
    expect(usageError(["test", "a", "--effective", "--ctx", "8192"])).toMatch(/does not combine with --ctx/);
  });

  it("refuses unknown commands and flags, and missing values", () => {
    expect(usageError(["backup"])).toMatch(
      /unknown command "backup" \(commands: .*health, import, export, snapshot/,
    );
    expect(usageError([])).toMatch(/no command/);
    expect(usageError(["--all"])).toMatch(/expected a command/);
    expect(usageError(["test", "--all", "--bogus"])).toBe('unknown flag --bogus for "test"');
    expect(usageError(["list", "--all"])).toBe('unknown flag --all for "list"');
    expect(usageError(["test", "--all", "--json=yes"])).toBe("--json does not take a value");
    expect(usageError(["test", "--all", "--ctx"])).toBe("--ctx needs a value");
  });

  it("needs model keys or --all for test, not both", () => {
    expect(usageError(["test"])).toMatch(/MODEL_KEY.*--all/);
    expect(usageError(["test", "a", "--all"])).toMatch(/not both/);
  });

  it("parses list sorting and display, and refuses unknown ones", () => {
    expect(parseCommandLine(["list"])).toEqual({ name: "list", host: undefined, sort: "id", show: "table" });
    expect(parseCommandLine(["list", "--sort", "ctxd", "--show", "json"])).toMatchObject({
      sort: "ctxd",
      show: "json",
    });
    expect(usageError(["list", "--sort", "speed"])).toMatch(/--sort must be one of id, ctx, dtx, size, idd/);
    expect(usageError(["list", "--show", "md"])).toMatch(/--show must be one of table, id, path, json/);
  });

  it("parses scan, runs and cancel", () => {
    expect(parseCommandLine(["scan", "--failed"])).toEqual({
      name: "scan",
      host: undefined,
      failed: true,
      reset: false,
    });
    expect(parseCommandLine(["runs", "--host", "local"])).toEqual({ name: "runs", host: "local", limit: 20 });
    expect(parseCommandLine(["cancel", "#12"])).toEqual({ name: "cancel", runId: 12 });
    expect(parseCommandLine(["cancel", "12", "--model", " qwen3-8b "])).toEqual({
      name: "cancel",
      runId: 12,
      modelKey: "qwen3-8b",
    });
    expect(usageError(["cancel", "12", "--model", " "])).toMatch(/a model key must not be empty/);
    expect(usageError(["cancel", "12", "--model", "x".repeat(600)])).toMatch(/at most 512 characters/);
    expect(usageError(["scan", "extra"])).toMatch(/scan takes no arguments/);
  });

  it("parses infer with the prompt joined and lmstrix's default temperature", () => {
    expect(parseCommandLine(["infer", "What", "is 2+3?", "--model", "qwen/qwen3-8b"])).toEqual({
      name: "infer",
      host: undefined,
      prompt: "What is 2+3?",
      model: "qwen/qwen3-8b",
      maxTokens: undefined,
      temperature: 0.7,
      ctx: undefined,
    });
    expect(usageError(["infer", "hello"])).toMatch(/--model/);
    expect(usageError(["infer", "--model", "m"])).toMatch(/PROMPT/);
  });

  it("parses host actions and validates names and URLs", () => {
    expect(parseCommandLine(["host", "add", "gpu-box", "ws://10.0.0.5:1234/"])).toEqual({
      name: "host-add",
      hostName: "gpu-box",
      url: "ws://10.0.0.5:1234",
    });
    expect(parseCommandLine(["host", "list"])).toEqual({ name: "host-list" });
    expect(parseCommandLine(["host", "remove", "gpu-box"])).toEqual({
      name: "host-remove",
      hostName: "gpu-box",
    });
    expect(usageError(["host", "add", "gpu box", "ws://x:1"])).toMatch(/host name/);
    expect(usageError(["host", "add", "gpu", "http://x:1"])).toMatch(/ws:\/\//);
    expect(usageError(["host"])).toMatch(/add, list or remove/);
    expect(usageError(["host", "rename"])).toMatch(/unknown host action/);
    expect(usageError(["list", "--host", "a b"])).toMatch(/--host/);
  });

  it("parses health, import and export", () => {
    expect(parseCommandLine(["health"])).toEqual({ name: "health", json: false, repair: false });
    expect(parseCommandLine(["health", "--repair", "--json"])).toEqual({
      name: "health",
      json: true,
      repair: true,
    });
    expect(
      parseCommandLine(["import", "lmstrix.json", "--dry-run", "--skip-invalid", "--host", "gpu"]),
    ).toEqual({
      name: "import",
      file: "lmstrix.json",
      host: "gpu",
      dryRun: true,
      skipInvalid: true,
      json: false,
    });
    expect(parseCommandLine(["export"])).toEqual({
      name: "export",
      format: "lmstrix",
      host: undefined,
      out: undefined,
      force: false,
    });
    expect(parseCommandLine(["export", "--format", "csv", "-o", "out.csv", "--force"])).toMatchObject({
      format: "csv",
      out: "out.csv",
      force: true,
    });
    expect(usageError(["health", "now"])).toMatch(/health takes no arguments/);
    expect(usageError(["import"])).toMatch(/import needs a FILE/);
    expect(usageError(["import", "a.json", "b.json"])).toMatch(/import takes one FILE/);
    expect(usageError(["import", "a.json", "--force"])).toBe('unknown flag --force for "import"');
    expect(usageError(["export", "--format", "xml"])).toMatch(/--format must be one of lmstrix, json, csv/);
    expect(usageError(["export", "--force"])).toMatch(/--force only goes with --out/);
    expect(usageError(["export", "--out", ""])).toMatch(/--out needs a FILE/);
  });

  it("parses snapshot actions; a NAME is a plain file name, never a path", () => {
    expect(parseCommandLine(["snapshot", "list", "--json"])).toEqual({ name: "snapshot-list", json: true });
    expect(parseCommandLine(["snapshot", "create"])).toEqual({ name: "snapshot-create", reason: "manual" });
    expect(parseCommandLine(["snapshot", "create", "--reason", "before-import"])).toEqual({
      name: "snapshot-create",
      reason: "before-import",
    });
    expect(parseCommandLine(["snapshot", "restore", "lmstrix-x-manual.db", "-y"])).toEqual({
      name: "snapshot-restore",
      snapshot: "lmstrix-x-manual.db",
      yes: true,
    });
    for (const name of ["../lmstrix.db", "/tmp/x.db", "snapshots/x.db", "x.sqlite", ".hidden.db"]) {
      expect(usageError(["snapshot", "restore", name, "--yes"])).toMatch(/invalid snapshot name/);
    }
    expect(usageError(["snapshot"])).toMatch(/list, create or restore/);
    expect(usageError(["snapshot", "delete"])).toMatch(/unknown snapshot action "delete"/);
    expect(usageError(["snapshot", "restore"])).toMatch(/needs one NAME/);
    expect(usageError(["snapshot", "create", "--reason", "because"])).toMatch(
      /--reason must be one of manual|--reason must be one of before-run/,
    );
    expect(usageError(["snapshot", "list", "--yes"])).toMatch(/--yes goes with "snapshot restore" only/);
    expect(usageError(["snapshot", "restore", "a.db", "--reason", "manual"])).toMatch(
      /--reason goes with "snapshot create"/,
    );
  });

  it("answers help in every form", () => {
    expect(parseCommandLine(["--help"])).toEqual({ name: "help", topic: undefined });
    expect(parseCommandLine(["help", "test"])).toEqual({ name: "help", topic: "test" });
    // The error for an unknown command points at "help", so "help" of one must not print the general help.
    expect(() => parseCommandLine(["help", "bogus"])).toThrow('unknown command "bogus"');
    expect(parseCommandLine(["test", "-h"])).toEqual({ name: "help", topic: "test" });
  });
});
