import { describe, expect, it } from "vitest";
import {
  findDuplicateKeys,
  formatRegistryDate,
  parseRegistry,
  parseRegistryDate,
  REGISTRY_KEY_FIELD,
  RegistryError,
  stringifyRegistry,
  toRegistry,
} from "./index";

const entry = (fields: Record<string, unknown> = {}) => ({
  id: "qwen3-8b",
  short_id: "Qwen3-8B-Q4_K_M",
  path: "lmstudio-community/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf",
  size_bytes: 5_027_783_488,
  ctx_in: 40_960,
  ctx_out: 4096,
  has_tools: true,
  has_vision: false,
  tested_max_context: 40_960,
  loadable_max_context: null,
  last_known_good_context: 40_960,
  last_known_bad_context: null,
  context_test_status: "completed",
  context_test_log: "/Users/me/.lmstudio/lmstrix/context_tests/qwen3-8b_context_test.log",
  context_test_date: "2025-07-26T14:03:11.482913",
  failed: false,
  error_msg: "",
  ...fields,
});

const registry = (llms: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ llms, path: "/Users/me/.lmstudio", ...extra });

function rejection(text: string, options?: Parameters<typeof parseRegistry>[1]): RegistryError {
  try {
    parseRegistry(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryError);
    return error as RegistryError;
  }
  throw new Error("expected the registry to be rejected");
}

describe("parseRegistry", () => {
  it("maps an lmstrix entry to LMStrix terms and keeps unknown fields", () => {
    const parsed = parseRegistry(
      registry({ "qwen3-8b": entry({ tps: 41.2, keywords: ["chat"] }) }, { version: 3 }),
      { source: "/home/me/lmstrix.json", zone: "utc" },
    );
    expect(parsed.format).toBe("lmstrix");
    expect(parsed.rootPath).toBe("/Users/me/.lmstudio");
    expect(parsed.extras).toEqual({ version: 3 });
    expect(parsed.source).toBe("lmstrix.json");
    expect(parsed.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(parsed.entries).toHaveLength(1);
    const { model } = parsed.entries[0]!;
    expect(model).toMatchObject({
      modelKey: "qwen3-8b",
      displayName: "Qwen3-8B-Q4_K_M",
      type: "llm",
      format: "gguf",
      publisher: "lmstudio-community",
      quantization: "Q4_K_M",
      params: "8B",
      declaredContext: 40_960,
      toolUse: true,
      vision: false,
      testStatus: "completed",
      loadableLimit: 40_960,
      lastGoodContext: 40_960,
      lastBadContext: null,
      lastTestedAt: new Date("2025-07-26T14:03:11.482Z"),
      errorCategory: null,
      errorMessage: null,
    });
    expect(model.extras).toEqual({
      short_id: "Qwen3-8B-Q4_K_M",
      ctx_out: 4096,
      context_test_log: "/Users/me/.lmstudio/lmstrix/context_tests/qwen3-8b_context_test.log",
      tps: 41.2,
      keywords: ["chat"],
    });
  });

  it("prefers loadable_max_context over tested_max_context", () => {
    const parsed = parseRegistry(
      registry({ m: entry({ tested_max_context: 30_000, loadable_max_context: 32_000 }) }),
    );
    expect(parsed.entries[0]!.model.loadableLimit).toBe(32_000);
  });

  it("reads the older lmsm.json shape and skips the entries lmsm could not read", () => {
    const parsed = parseRegistry(
      registry({
        "google/gemma-3-12b": {
          id: "google/gemma-3-12b",
          path: "/Users/me/.lmstudio/models/lmstudio-community/gemma-3-12b-it-GGUF/gemma-3-12b-it-Q4_K_M.gguf",
          size_bytes: 8_149_190_464,
          ctx_in: 131_072,
          ctx_out: 4096,
          has_tools: false,
          has_vision: true,
          failed: false,
          error_msg: "",
        },
        broken: {
          id: "broken",
          path: "/Users/me/.lmstudio/models/broken",
          size_bytes: 0,
          ctx_in: 0,
          ctx_out: 0,
          has_tools: false,
          has_vision: false,
          failed: true,
          error_msg: "Model not found",
        },
      }),
    );
    expect(parsed.format).toBe("lmsm");
    expect(parsed.entries.map((item) => item.model.modelKey)).toEqual(["google/gemma-3-12b"]);
    expect(parsed.entries[0]!.model).toMatchObject({
      testStatus: "untested",
      publisher: "lmstudio-community",
      vision: true,
      displayName: "gemma-3-12b",
    });
    expect(parsed.warnings).toEqual([
      { key: "broken", message: expect.stringContaining('llms["broken"]: skipped — lmsm could not read') },
    ]);
  });

  it("settles lmstrix's stuck `testing` status and says why", () => {
    const parsed = parseRegistry(
      registry({
        a: entry({
          id: "a",
          context_test_status: "testing",
          tested_max_context: 60_000,
          last_known_bad_context: 66_000,
        }),
        b: entry({
          id: "b",
          context_test_status: "testing",
          tested_max_context: null,
          error_msg: "llama_memory is null",
        }),
        c: entry({ id: "c", context_test_status: "testing", tested_max_context: null }),
      }),
    );
    expect(parsed.entries.map((item) => [item.key, item.model.testStatus, item.model.errorCategory])).toEqual(
      [
        ["a", "completed", null],
        ["b", "failed", "UNKNOWN"],
        ["c", "untested", null],
      ],
    );
    expect(parsed.warnings.map((warning) => warning.message)).toEqual([
      expect.stringMatching(
        /llms\["a"\]: status "testing" .* imported as "completed" because it has a loadable limit \(tested_max_context\) of 60,000/,
      ),
      expect.stringMatching(/llms\["b"\]: .*imported as "failed" because lmstrix recorded an error/),
      expect.stringMatching(
        /llms\["c"\]: .*imported as "untested" because no loadable limit \(tested_max_context\) was recorded/,
      ),
    ]);
  });

  it("uses the key as id when an entry has none, and remembers a key that differs from the id", () => {
    const parsed = parseRegistry(
      registry({
        "only-key": entry({ id: undefined }),
        "lmstudio-community/x/x.gguf": entry({ id: "x-model" }),
      }),
    );
    expect(parsed.entries.map((item) => item.model.modelKey)).toEqual(["only-key", "x-model"]);
    expect(parsed.entries[1]!.model.extras[REGISTRY_KEY_FIELD]).toBe("lmstudio-community/x/x.gguf");
    expect(parsed.entries[0]!.model.extras).not.toHaveProperty(REGISTRY_KEY_FIELD);
  });

  it("guesses embedding models from their id", () => {
    const parsed = parseRegistry(
      registry({
        e: entry({ id: "text-embedding-nomic-embed-text-v1.5", ctx_in: 2048, tested_max_context: 2048 }),
        b: entry({ id: "bge-m3", ctx_in: 8192, tested_max_context: null }),
      }),
    );
    expect(parsed.entries.map((item) => item.model.type)).toEqual(["embedding", "embedding"]);
  });

  it.each([
    ["not JSON", "{llms: {}}", /^not valid JSON: .*line 1, column 2/],
    ["truncated", registry({ a: entry() }).slice(0, 80), /^not valid JSON: the file ends too early/],
    ["empty", "  \n", /^the file is empty/],
    ["a list", "[]", /^the registry must be a JSON object .*\(got a list of 0\)/],
    ["a string", '"lmstrix"', /^the registry must be a JSON object .*\(got "lmstrix"\)/],
    ["no llms", JSON.stringify({ path: "/x" }), /^llms: is missing/],
    ["bare entries", JSON.stringify({ a: entry() }), /^llms: is missing: the entries must be wrapped/],
    [
      "llms a list",
      JSON.stringify({ llms: [entry()] }),
      /^llms: must be an object mapping model keys .*\(got a list of 1\)/,
    ],
    ["path not text", JSON.stringify({ llms: {}, path: 5 }), /^path: must be a string \(got 5\)/],
  ])("refuses %s with a message that says where", (_name, text, message) => {
    expect(rejection(text).message).toMatch(message);
  });

  it.each([
    ["ctx_in", { ctx_in: 99_999_999_999 }, 'llms["m"].ctx_in: must be at most 10,000,000 (got 99999999999)'],
    ["ctx_in", { ctx_in: 0 }, 'llms["m"].ctx_in: must be at least 1 (got 0)'],
    ["ctx_in", { ctx_in: "4096" }, 'llms["m"].ctx_in: must be a number (got "4096")'],
    ["ctx_in", { ctx_in: 4096.5 }, 'llms["m"].ctx_in: must be a whole number (got 4096.5)'],
    ["ctx_in", { ctx_in: undefined }, 'llms["m"].ctx_in: is required'],
    ["size_bytes", { size_bytes: -1 }, 'llms["m"].size_bytes: must not be negative (got -1)'],
    ["id", { id: "" }, 'llms["m"].id: must not be empty'],
    ["path", { path: "  " }, 'llms["m"].path: must not be empty'],
    ["has_tools", { has_tools: "yes" }, 'llms["m"].has_tools: must be true or false (got "yes")'],
    [
      "tested",
      { ctx_in: 32_768, tested_max_context: 70_000 },
      'llms["m"].tested_max_context: must be at most 2 × ctx_in = 65,536 (got 70000)',
    ],
    [
      "status",
      { context_test_status: "done" },
      'llms["m"].context_test_status: must be one of "untested", "testing", "completed", "failed" (got "done")',
    ],
    [
      "date",
      { context_test_date: "yesterday" },
      'llms["m"].context_test_date: must be an ISO date-time like 2025-07-26T14:03:11 (got "yesterday")',
    ],
    [
      "date",
      { context_test_date: "2025-02-30T10:00:00" },
      'llms["m"].context_test_date: must be an ISO date-time',
    ],
    [
      "last bad",
      { last_known_bad_context: 20_000_000 },
      'llms["m"].last_known_bad_context: must be at most 10,000,000',
    ],
  ])("refuses an invalid %s, naming entry and field", (_name, fields, message) => {
    expect(rejection(registry({ m: entry(fields) })).message).toContain(message);
  });

  it("rejects the whole file for one bad entry, or skips it with a warning when asked", () => {
    const text = registry({
      good: entry({ id: "good" }),
      bad: entry({ id: "bad", ctx_in: -5, size_bytes: -1 }),
    });
    const error = rejection(text);
    expect(error.issues.map((issue) => [issue.key, issue.field])).toEqual([
      ["bad", "size_bytes"],
      ["bad", "ctx_in"],
    ]);
    expect(error.message).toMatch(
      /^2 problems in the registry:\nllms\["bad"\]\.size_bytes: must not be negative/,
    );
    const parsed = parseRegistry(text, { skipInvalid: true });
    expect(parsed.entries.map((item) => item.key)).toEqual(["good"]);
    expect(parsed.warnings).toEqual([
      {
        key: "bad",
        message:
          'llms["bad"] skipped: size_bytes: must not be negative (got -1); ctx_in: must be at least 1 (got -5)',
      },
    ]);
  });

  it("refuses keys that appear twice, which JSON.parse would silently drop", () => {
    const text = `{"llms": {"m": ${JSON.stringify(entry({ id: "one" }))}, "m": ${JSON.stringify(entry({ id: "two" }))}}}`;
    expect(rejection(text).message).toMatch(/^llms\["m"\]: this key appears more than once/);
    expect(parseRegistry(text, { skipInvalid: true }).entries).toEqual([]);
    const inEntry = `{"llms": {"m": {"id": "m", "path": "p", "size_bytes": 1, "ctx_in": 5, "ctx_in": 6}}}`;
    expect(rejection(inEntry).message).toBe(
      'llms["m"].ctx_in: the key "ctx_in" appears more than once in the same object',
    );
    expect(rejection(`{"llms": {}, "path": "a", "path": "b"}`).message).toMatch(
      /the key "path" appears more than once/,
    );
  });

  it("refuses two entries for the same model id", () => {
    const text = registry({ a: entry({ id: "same" }), b: entry({ id: "same" }) });
    expect(rejection(text).message).toBe(
      'llms["b"].id: "same" is already the id of llms["a"]; one model cannot have two entries',
    );
  });

  it("refuses text above 50 MB before parsing it", () => {
    const huge = `{"llms": {}, "pad": "${"x".repeat(50 * 1024 * 1024)}"}`;
    expect(rejection(huge).message).toMatch(/^the file is larger than 50 MB \(50\.0 MB\)/);
    const multiByte = `{"llms": {}, "pad": "${"é".repeat(26 * 1024 * 1024)}"}`;
    expect(rejection(multiByte).message).toMatch(/larger than 50 MB/);
  });
});

describe("toRegistry", () => {
  it("round-trips through parseRegistry without loss in LMStrix terms", () => {
    const text = registry(
      {
        "qwen3-8b": entry({ benchmark: { mmlu: 0.71 } }),
        "path/keyed/model.gguf": entry({
          id: "gemma-3-4b@q8_0",
          context_test_status: "failed",
          failed: true,
          tested_max_context: null,
          last_known_good_context: null,
          last_known_bad_context: 2048,
          error_msg: "llama_memory is null",
          context_test_date: "2025-08-01T09:00:00",
        }),
        plain: { id: "plain", path: "a/b/plain.gguf", size_bytes: 0, ctx_in: 2048 },
      },
      { version: 2, notes: ["kept"] },
    );
    const first = parseRegistry(text);
    const exported = toRegistry(
      first.entries.map((item) => ({ ...item.model })),
      { rootPath: first.rootPath, extras: first.extras },
    );
    expect(Object.keys(exported.llms)).toEqual(["path/keyed/model.gguf", "plain", "qwen3-8b"]);
    expect(exported.llms.plain).toMatchObject({
      ctx_out: 2048,
      short_id: "plain",
      failed: false,
      error_msg: "",
    });
    expect(exported.llms["qwen3-8b"]).toMatchObject({
      benchmark: { mmlu: 0.71 },
      loadable_max_context: 40_960,
    });
    expect(exported.llms["path/keyed/model.gguf"]).not.toHaveProperty(REGISTRY_KEY_FIELD);
    const second = parseRegistry(stringifyRegistry(exported));
    expect(second.rootPath).toBe(first.rootPath);
    expect(second.extras).toEqual(first.extras);
    const models = (parsed: typeof first) =>
      Object.fromEntries(parsed.entries.map((item) => [item.key, item.model]));
    const again = models(second);
    for (const [key, model] of Object.entries(models(first))) {
      // An export writes the fields lmstrix always writes; an entry that had none gets them now.
      expect(again[key]).toEqual({ ...model, extras: { ...again[key]!.extras, ...model.extras } });
    }
    expect(
      stringifyRegistry(
        toRegistry(
          second.entries.map((item) => item.model),
          { rootPath: second.rootPath, extras: second.extras },
        ),
      ),
    ).toBe(stringifyRegistry(exported));
  });
});

describe("registry dates", () => {
  it("reads Python's isoformat and writes it back", () => {
    const date = parseRegistryDate("2025-07-26T14:03:11.482913", "utc")!;
    expect(date.toISOString()).toBe("2025-07-26T14:03:11.482Z");
    expect(formatRegistryDate(date, "utc")).toBe("2025-07-26T14:03:11.482000");
    expect(formatRegistryDate(new Date("2025-07-26T14:03:11Z"), "utc")).toBe("2025-07-26T14:03:11");
    expect(parseRegistryDate("2025-07-26T14:03:11+02:00")!.toISOString()).toBe("2025-07-26T12:03:11.000Z");
    const local = parseRegistryDate("2025-07-26T14:03:11.250")!;
    expect(formatRegistryDate(local)).toBe("2025-07-26T14:03:11.250000");
    expect(parseRegistryDate("2025-13-01T00:00:00")).toBeNull();
    expect(parseRegistryDate("26/07/2025")).toBeNull();
  });
});

describe("findDuplicateKeys", () => {
  it("finds keys repeated in the same object, not across objects", () => {
    const text = '{"a": {"x": 1, "y": [{"x": 1, "x": 2}]}, "b": {"x": "\\"x\\""}, "a": 3}';
    expect(findDuplicateKeys(text)).toEqual([
      { objectPath: ["a", "y", 0], key: "x" },
      { objectPath: [], key: "a" },
    ]);
  });
});
