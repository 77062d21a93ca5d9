import { describe, expect, it, vi } from "vitest";
import { createQuietLogger, formatLogMessages, isProtocolWarning } from "./quiet-logger";

describe("createQuietLogger", () => {
  it("drops info and debug, keeps warnings and errors in a bounded ring", () => {
    const logger = createQuietLogger({ ringSize: 2 });
    logger.info("hello");
    logger.debug("details");
    logger.warn("[LMStudioClient]", "one");
    logger.error("two");
    logger.warn("three", { detail: 1 });
    expect(logger.recent()).toEqual(["error: two", 'warn: three {"detail":1}']);
  });

  it("forwards everything to a given logger", () => {
    const target = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() };
    const logger = createQuietLogger({ target });
    logger.info("a");
    logger.debug("b");
    logger.warn("c");
    logger.error("d");
    expect(target.info).toHaveBeenCalledWith("a");
    expect(target.debug).toHaveBeenCalledWith("b");
    expect(target.warn).toHaveBeenCalledWith("c");
    expect(target.error).toHaveBeenCalledWith("d");
  });

  it("reports protocol warnings to listeners", () => {
    const logger = createQuietLogger();
    const seen: string[] = [];
    const stop = logger.onProtocolWarning((text) => seen.push(text));
    logger.warn("WebSocket error:", new Error("WebSocket connection closed"));
    logger.warn(
      "[ClientPort]",
      "Produced communication warning: Received invalid result for rpc, endpointName = version",
    );
    stop();
    logger.warn("Received invalid message from server:", {});
    expect(seen).toEqual([
      "[ClientPort] Produced communication warning: Received invalid result for rpc, endpointName = version",
    ]);
  });
});

describe("isProtocolWarning", () => {
  it.each([
    ["Received invalid JSON message from server:", true],
    ["Received channelSend for unknown channel, channelId = 3", true],
    ["Received communication warning from the server: bad", true],
    ["WebSocket error: connect ECONNREFUSED 127.0.0.1:9", false],
    ["WebSocket connection refused. This can happen if the server is not running", false],
  ])("%s → %s", (text, expected) => {
    expect(isProtocolWarning(text)).toBe(expected);
  });
});

describe("formatLogMessages", () => {
  it("joins strings, errors and objects without colour codes", () => {
    expect(formatLogMessages(["\u001b[97m[LLM]\u001b[39m", new Error("bad"), { a: 1 }])).toBe(
      '[LLM] bad {"a":1}',
    );
  });
});
