import { describe, expect, it } from "vitest";
import { ProtocolWarnings } from "./protocol-warnings";
import { createQuietLogger } from "./quiet-logger";

describe("ProtocolWarnings", () => {
  it("explains a timeout only with protocol warnings logged after the mark", () => {
    const logger = createQuietLogger();
    const warnings = new ProtocolWarnings(logger);
    logger.warn("Received invalid result for rpc, endpointName = listLoaded");
    const mark = warnings.mark();
    expect(warnings.explainSince(mark)).toBeUndefined();
    logger.warn("WebSocket error:", new Error("WebSocket connection closed"));
    expect(warnings.explainSince(mark)).toBeUndefined();
    logger.warn("Received invalid message for channel: endpointName = predict");
    expect(warnings.explainSince(mark)).toContain("endpointName = predict");
  });
});
