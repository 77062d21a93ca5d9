import { describe, expect, test } from "vitest";
import { llm } from "../../test/support/test-fleet.js";
import { resolveFaults } from "../faults.js";
import { type FleetFault, parseFleet } from "./schema.js";

const model = (extra: Record<string, unknown>) => ({ ...llm("m", { maxContextLength: 4096 }), ...extra });
const withFaults = (faults: unknown[]) => parseFleet({ memoryBytes: 1e9, models: [model({ faults })] });
const faultsOf = (faults: FleetFault[]) => {
  const parsed = withFaults(faults).models[0];
  if (parsed === undefined) throw new Error("no model");
  return resolveFaults(parsed);
};

describe("the 0.4 faults in a fleet file", () => {
  test("are read as flags and one-key objects", () => {
    expect(faultsOf([{ roundContext: 256 }, "ignoresRequestedContext", "autoFit"])).toMatchObject({
      roundContext: 256,
      ignoresRequestedContext: 4096, // the flag means the declared context
      autoFit: true,
      noGuardrail: false,
      spillToRam: null,
    });
    expect(
      faultsOf([{ ignoresRequestedContext: 165_120 }, "noGuardrail", { spillToRam: 1.5 }]),
    ).toMatchObject({
      ignoresRequestedContext: 165_120,
      noGuardrail: true,
      spillToRam: 1.5,
    });
  });

  test.each([
    [[{ roundContext: 0 }], /models\[0\]\.faults\[0\]\.roundContext: Too small: expected number to be >=1/],
    [[{ roundContext: 25.5 }], /faults\[0\]\.roundContext: must be a whole number/],
    [[{ ignoresRequestedContext: -1 }], /faults\[0\]\.ignoresRequestedContext: Too small/],
    [["noGuardrail", { spillToRam: 1 }], /faults\[1\]\.spillToRam: spillToRam must be greater than 1/],
    [["autofit"], /models\[0\]\.faults\[0\]: unknown fault: use one of .*"autoFit"/],
  ])("bad values are refused with the fault's place: %j", (faults, message) => {
    expect(() => withFaults(faults)).toThrow(message);
  });

  test("combinations that cannot mean anything are refused with the reason", () => {
    expect(() => withFaults([{ spillToRam: 2 }])).toThrow(
      /models\[0\]\.faults\[0\]: spillToRam needs "noGuardrail": with the guardrail on, a load above memory is refused before it can spill/,
    );
    expect(() => withFaults(["autoFit", "noGuardrail"])).toThrow(
      /faults\[0\]: autoFit and "noGuardrail" exclude each other/,
    );
    // A fault given twice is allowed, as for the older faults: the last one wins.
    expect(faultsOf([{ roundContext: 256 }, { roundContext: 512 }]).roundContext).toBe(512);
    expect(
      faultsOf(["ignoresRequestedContext", { ignoresRequestedContext: 8 }]).ignoresRequestedContext,
    ).toBe(8);
  });

  test("they combine with the existing faults", () => {
    expect(() =>
      withFaults([{ roundContext: 256 }, "autoFit", { hangAbove: 65_536 }, { silentReduce: 9_000 }]),
    ).not.toThrow();
  });
});

describe("recall and lmStudioVersion in a fleet file", () => {
  test("recall fills its defaults; the version defaults to 0.3.20", () => {
    const fleet = parseFleet({
      memoryBytes: 1e9,
      models: [model({ recall: { at50: 30_000, width: 2_000 } })],
    });
    expect(fleet.lmStudioVersion).toBe("0.3.20");
    expect(fleet.models[0]?.recall).toEqual({ at50: 30_000, width: 2_000, middleDip: 0, base: 1 });
    // A parsed fleet parses again to itself (benchmarks re-parse fleets with other memory).
    expect(parseFleet(fleet)).toEqual(fleet);
  });

  test("bad values are refused with a clear message", () => {
    const bad = (recall: unknown) => () => parseFleet({ memoryBytes: 1e9, models: [model({ recall })] });
    expect(bad({ at50: 0, width: 10 })).toThrow(/models\[0\]\.recall\.at50/);
    expect(bad({ at50: 10, width: 10, middleDip: 1.5 })).toThrow(/models\[0\]\.recall\.middleDip/);
    expect(bad({ at50: 10, width: 10, base: 0 })).toThrow(/models\[0\]\.recall\.base/);
    expect(bad({ at50: 10, width: 10, dip: 0.2 })).toThrow(/dip/);
    expect(() =>
      parseFleet({
        memoryBytes: 1e9,
        models: [model({ type: "embedding", recall: { at50: 10, width: 10 } })],
      }),
    ).toThrow(/models\[0\]\.recall: recall is only for LLMs/);
    expect(() => parseFleet({ memoryBytes: 1e9, lmStudioVersion: "0.4", models: [] })).toThrow(
      /lmStudioVersion: lmStudioVersion must look like "0.4.23" or "0.4.23\+2"/,
    );
  });
});
