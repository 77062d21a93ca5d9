import type { LLMPredictionStats } from "@lmstudio/sdk";
import { describe, expect, it } from "vitest";
import { mapResponseStats, PredictionTimer } from "./map-response";

/** A clock the test moves by hand. */
function clock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("PredictionTimer", () => {
  it("times the first token and the generation rate from fragment arrivals", () => {
    const time = clock();
    const timer = new PredictionTimer(time.now);
    time.advance(400);
    timer.firstToken();
    timer.fragment(1);
    for (let i = 0; i < 10; i++) {
      time.advance(100);
      timer.fragment(2);
    }
    // 20 tokens after the first fragment, over one second.
    expect(timer.measured()).toEqual({ firstTokenMs: 400, tokensPerSecond: 20 });
  });

  it("falls back to the first fragment's arrival when no first-token signal came", () => {
    const time = clock();
    const timer = new PredictionTimer(time.now);
    time.advance(250);
    timer.fragment(1);
    expect(timer.measured()).toEqual({ firstTokenMs: 250, tokensPerSecond: null });
  });

  it("measures nothing when no fragment arrived", () => {
    expect(new PredictionTimer(clock().now).measured()).toEqual({
      firstTokenMs: null,
      tokensPerSecond: null,
    });
  });
});

describe("mapResponseStats", () => {
  const base = {
    stopReason: "eosFound",
    promptTokensCount: 100,
    predictedTokensCount: 20,
  } as LLMPredictionStats;

  it("prefers LM Studio's figures", () => {
    const stats = mapResponseStats(
      { ...base, timeToFirstTokenSec: 0.5, tokensPerSecond: 42 },
      { firstTokenMs: 900, tokensPerSecond: 7 },
    );
    expect(stats).toMatchObject({ timeToFirstTokenMs: 500, tokensPerSecond: 42, promptTokensPerSecond: 200 });
  });

  it("uses the local measurements where LM Studio's stats lack them", () => {
    const stats = mapResponseStats(base, { firstTokenMs: 1_000, tokensPerSecond: 12.5 });
    expect(stats).toMatchObject({
      timeToFirstTokenMs: 1_000,
      tokensPerSecond: 12.5,
      promptTokensPerSecond: 100,
    });
  });

  it("leaves gaps that nothing filled as null", () => {
    const stats = mapResponseStats({ ...base, tokensPerSecond: Number.NaN }, { firstTokenMs: null });
    expect(stats).toMatchObject({
      timeToFirstTokenMs: null,
      tokensPerSecond: null,
      promptTokensPerSecond: null,
    });
  });
});
