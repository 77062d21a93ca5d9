import { describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import type { PlaygroundUpdate } from "~/server/routers/playground";
import { refusal, routerHarness, waitUntil } from "../support/router-caller";

const harness = routerHarness();

async function collect(updates: AsyncIterable<PlaygroundUpdate>): Promise<PlaygroundUpdate[]> {
  const all: PlaygroundUpdate[] = [];
  for await (const update of updates) all.push(update);
  return all;
}

/** Asks a model on the local host, and reads the whole answer (or the failure that ended it). */
async function ask(modelKey: string, prompt = "hello"): Promise<PlaygroundUpdate[]> {
  const updates = await harness
    .caller()
    .playground.respond({ hostId: harness.localHostId, modelKey, contextLength: 4_096, prompt });
  return collect(updates);
}

describe("playground router", () => {
  it("loads the model at the context asked, streams its answer and unloads it", async () => {
    const api = harness.caller();
    await api.host.scan({ id: harness.localHostId });
    const updates = await ask("small", "Write 'ninety-six' as a number using only digits");
    expect(updates[0]).toEqual({ type: "status", message: "Loading small at 4,096 tokens…" });
    const text = updates.flatMap((update) => (update.type === "fragment" ? [update.text] : [])).join("");
    expect(text).toContain("96");
    const done = updates.at(-1);
    expect(done).toMatchObject({ type: "done", appliedContext: 4_096 });
    expect(harness.emulator.state.loaded).toEqual([]);
  });

  it("a load that fails ends the stream with LM Studio's reason", async () => {
    const failed = await refusal(ask("nowhere"));
    expect(failed.code).toBe("NOT_FOUND");
    expect(failed.message).toMatch(/^The playground could not answer: /);
  });

  it("refuses while a run holds the host, naming the run, and checks its input", async () => {
    const api = harness.caller();
    const empty = await refusal(
      api.playground.respond({
        hostId: harness.localHostId,
        modelKey: "small",
        contextLength: 4_096,
        prompt: "",
      }),
    );
    expect((empty.cause as ZodError).issues).toMatchObject([
      { path: ["prompt"], message: "Write a prompt first" },
    ]);

    const { id: runId } = await api.run.start({
      hostId: harness.localHostId,
      modelKeys: ["large"],
      options: { strategy: "lmstrix", reset: true, cooldownMs: 0 },
    });
    await waitUntil("the run to start", async () => (await api.run.get({ id: runId })).status === "running");
    const busy = await refusal(ask("small"));
    expect(busy.code).toBe("CONFLICT");
    expect(busy.message).toBe(`Host local is busy with run #${runId}; try again when it ends`);
    await api.run.cancel({ id: runId });
  });
});
