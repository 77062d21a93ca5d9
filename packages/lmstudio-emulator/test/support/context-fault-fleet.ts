import type { FleetInput } from "../../src/fleet/schema.js";
import { GiB, KiB, llm } from "./test-fleet.js";

/** An 8B-like model: 4 GiB, 128 KiB per token; on 16 GiB it loads up to (16 − 4 − 0.5 GiB) / 128 KiB = 94,208. */
const big = { sizeBytes: 4 * GiB, kvBytesPerToken: 128 * KiB, maxContextLength: 131_072 };

/** One model per context fault of LM Studio 0.4 (issue 15), and a few combinations, on 16 GiB. */
export const contextFaultFleet: FleetInput = {
  memoryBytes: 16 * GiB,
  models: [
    llm("plain-8b", big),
    llm("round", { ...big, faults: [{ roundContext: 256 }] }),
    llm("ignores", { maxContextLength: 32_768, faults: ["ignoresRequestedContext"] }),
    llm("ignores-at", { faults: [{ ignoresRequestedContext: 12_345 }] }),
    llm("auto-fit", { ...big, faults: ["autoFit"] }),
    // (16 − 4 − 0.5 GiB) / 100 KiB = 120,586.24: auto-fit gives 120,586, rounded down to 256s 120,576.
    llm("auto-fit-round", { ...big, kvBytesPerToken: 100 * KiB, faults: ["autoFit", { roundContext: 256 }] }),
    llm("no-guardrail", { ...big, faults: ["noGuardrail"] }),
    llm("no-guardrail-mlx", { ...big, format: "safetensors", faults: ["noGuardrail"] }),
    llm("no-guardrail-huge", { ...big, sizeBytes: 20 * GiB, faults: ["noGuardrail"] }),
    // Spills up to 32 GiB: (32 − 4.5 GiB) / 128 KiB = 225,280 tokens.
    llm("spills", { ...big, generationTokensPerSecond: 50, faults: ["noGuardrail", { spillToRam: 2 }] }),
    llm("ignores-hangs", { faults: [{ ignoresRequestedContext: 20_000 }, { hangAbove: 16_384 }] }),
    llm("round-reduce", { ...big, faults: [{ roundContext: 1000 }, { silentReduce: 50_500 }] }),
    llm("auto-fit-fails", { ...big, faults: ["autoFit", { loadFailsAbove: 90_000 }] }),
  ],
};
