import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { downloadedModelSchema } from "../domain/model";
import { isRuntimeError, RuntimeError, type RuntimeErrorCategory } from "../errors/runtime-error";
import type { ModelRuntime } from "../ports/model-runtime";

/** What an implementation under test provides to `runtimeContractSuite`. */
export interface RuntimeContractFixture {
  runtime: ModelRuntime;
  /** An LLM that loads at context 4096, nothing else being loaded, and answers "2+3=" with 5. */
  modelKey: string;
  /** A model key the host does not have. Default: `lmstrix-contract/no-such-model`. */
  missingModelKey?: string;
  /** Closes the runtime and whatever stands behind it (emulator, sockets). */
  teardown(): Promise<void>;
}

const CONTEXT = 4096;
const DEFAULT_MISSING_KEY = "lmstrix-contract/no-such-model";

/**
 * The behaviour every `ModelRuntime` promises (see the port's JSDoc), as vitest blocks. Call it at the
 * top level of a test file with a `setup` that builds a fresh runtime each time: each test gets its own
 * fixture, so a test that fails half-way cannot leak a loaded model into the next one.
 */
export function runtimeContractSuite(name: string, setup: () => Promise<RuntimeContractFixture>): void {
  describe(`ModelRuntime contract: ${name}`, () => {
    let fixture: RuntimeContractFixture;
    let runtime: ModelRuntime;

    beforeEach(async () => {
      fixture = await setup();
      runtime = fixture.runtime;
    });

    afterEach(async () => {
      await fixture.teardown();
    });

    it("lists the downloaded models, typed by the host, with their declared context", async () => {
      const models = await runtime.listModels();
      for (const model of models) expect(() => downloadedModelSchema.parse(model)).not.toThrow();
      const model = models.find((candidate) => candidate.modelKey === fixture.modelKey);
      expect(model).toBeDefined();
      expect(model?.type).toBe("llm");
      expect(model?.declaredContext).toBeGreaterThanOrEqual(CONTEXT);
    });

    it("loads at the asked context, returns the applied one, and shows the instance as loaded", async () => {
      const progress: number[] = [];
      const handle = await runtime.load(fixture.modelKey, {
        contextLength: CONTEXT,
        onProgress: (value) => progress.push(value),
      });
      expect(handle.modelKey).toBe(fixture.modelKey);
      expect(handle.identifier).not.toBe("");
      expect(handle.contextLength).toBe(CONTEXT);
      expect(handle.loadMs).toBeGreaterThanOrEqual(0);
      for (const value of progress) expect(value).toSatisfy((v: number) => v >= 0 && v <= 1);

      const loaded = await runtime.listLoaded();
      expect(loaded).toContainEqual({
        modelKey: fixture.modelKey,
        identifier: handle.identifier,
        contextLength: handle.contextLength,
      });
      await runtime.unload(handle);
    });

    it("answers a chat, streams the same text it returns, and reports stats", async () => {
      const handle = await runtime.load(fixture.modelKey, { contextLength: CONTEXT });
      const fragments: string[] = [];
      const response = await runtime.respond(handle, {
        messages: [{ role: "user", content: "2+3=" }],
        maxTokens: 16,
        temperature: 0,
        onFragment: (text) => fragments.push(text),
      });
      expect(response.text).toContain("5");
      expect(fragments.join("")).toBe(response.text);
      const { stats } = response;
      expect(typeof stats.stopReason).toBe("string");
      expect(stats.stopReason).not.toBe("");
      expectPositiveOrNull(stats.promptTokens);
      expectPositiveOrNull(stats.predictedTokens);
      expectNonNegativeOrNull(stats.timeToFirstTokenMs);
      expectNonNegativeOrNull(stats.tokensPerSecond);
      expectNonNegativeOrNull(stats.promptTokensPerSecond);
      await runtime.unload(handle);
    });

    it("counts tokens with the loaded model's tokenizer", async () => {
      const handle = await runtime.load(fixture.modelKey, { contextLength: CONTEXT });
      const count = await runtime.countTokens(handle, "Hello, world! How are you today?");
      expect(Number.isInteger(count)).toBe(true);
      expect(count).toBeGreaterThan(0);
      await runtime.unload(handle);
    });

    it("unloads by handle or identifier; unloading what is gone does not throw", async () => {
      const first = await runtime.load(fixture.modelKey, { contextLength: CONTEXT });
      await runtime.unload(first);
      expect((await runtime.listLoaded()).map(({ identifier }) => identifier)).not.toContain(
        first.identifier,
      );
      await expect(runtime.unload(first)).resolves.toBeUndefined();

      const second = await runtime.load(fixture.modelKey, { contextLength: CONTEXT });
      await runtime.unload(second.identifier);
      expect(await runtime.listLoaded()).toEqual([]);
      await expect(runtime.unload("lmstrix-contract/never-loaded")).resolves.toBeUndefined();
    });

    it("rejects loading a model the host does not have with NOT_FOUND", async () => {
      const error = await runtime
        .load(fixture.missingModelKey ?? DEFAULT_MISSING_KEY, { contextLength: CONTEXT })
        .catch((caught: unknown) => caught);
      expectCategory(error, "NOT_FOUND");
      expect(await runtime.listLoaded()).toEqual([]);
    });

    it("rejects with CANCELLED when the signal is already aborted, and loads nothing", async () => {
      const signal = AbortSignal.abort();
      expectCategory(
        await runtime
          .load(fixture.modelKey, { contextLength: CONTEXT, signal })
          .catch((caught: unknown) => caught),
        "CANCELLED",
      );
      expectCategory(await runtime.listModels({ signal }).catch((caught: unknown) => caught), "CANCELLED");
      expect(await runtime.listLoaded()).toEqual([]);

      const handle = await runtime.load(fixture.modelKey, { contextLength: CONTEXT });
      const request = { messages: [{ role: "user" as const, content: "2+3=" }], signal };
      expectCategory(await runtime.respond(handle, request).catch((caught: unknown) => caught), "CANCELLED");
      await runtime.unload(handle);
    });

    it("reports the host's version", async () => {
      const version = await runtime.version();
      expect(typeof version.version).toBe("string");
      expect(version.version).not.toBe("");
      expect(version.build === null || Number.isFinite(version.build)).toBe(true);
    });

    it("gives a memory estimate or null", async () => {
      const estimate = await runtime.estimate(fixture.modelKey, CONTEXT);
      if (estimate !== null) {
        expect(estimate.totalBytes).toBeGreaterThan(0);
        expect(typeof estimate.fits).toBe("boolean");
      }
    });
  });
}

function expectCategory(error: unknown, category: RuntimeErrorCategory): void {
  expect(error).toBeInstanceOf(RuntimeError);
  if (isRuntimeError(error)) expect(error.category, error.message).toBe(category);
}

function expectPositiveOrNull(value: number | null): void {
  if (value !== null) expect(value).toBeGreaterThan(0);
}

function expectNonNegativeOrNull(value: number | null): void {
  if (value !== null) expect(value).toBeGreaterThanOrEqual(0);
}
