import { describe, expect, it } from "vitest";
import { DEFAULT_RUN_OPTIONS_FORM, parseRunOptionsForm, parseWholeNumber } from "./run-options";

describe("parseWholeNumber", () => {
  it("accepts separators people type and rejects anything else", () => {
    expect(parseWholeNumber("131,072")).toBe(131_072);
    expect(parseWholeNumber(" 131 072 ")).toBe(131_072);
    expect(parseWholeNumber("131_072")).toBe(131_072);
    expect(parseWholeNumber("")).toBeNull();
    expect(parseWholeNumber("12.5")).toBe("invalid");
    expect(parseWholeNumber("-4")).toBe("invalid");
    expect(parseWholeNumber("32k")).toBe("invalid");
  });
});

describe("parseRunOptionsForm", () => {
  it("turns the defaults into lmstrix's default threshold and the fewer-loads search", () => {
    expect(parseRunOptionsForm(DEFAULT_RUN_OPTIONS_FORM)).toEqual({
      ok: true,
      options: { threshold: 31_744, reset: false, strategy: "fit" },
    });
  });

  it("passes optional fields only when given", () => {
    const result = parseRunOptionsForm({
      threshold: "102,400",
      fixedContext: "8192",
      precision: "512",
      reset: true,
      strategy: "lmstrix",
      effective: false,
      recall: "1",
    });
    expect(result).toEqual({
      ok: true,
      options: { threshold: 102_400, fixedContext: 8_192, precision: 512, reset: true, strategy: "lmstrix" },
    });
  });

  it("asks for the effective context only when checked, and never with a fixed size", () => {
    const effective = { ...DEFAULT_RUN_OPTIONS_FORM, effective: true };
    expect(parseRunOptionsForm(effective)).toEqual({
      ok: true,
      options: { threshold: 31_744, reset: false, strategy: "fit", effective: true, recallThreshold: 0.856 },
    });
    const fixed = parseRunOptionsForm({ ...effective, fixedContext: "8192" });
    expect(fixed.ok && fixed.options.effective).toBe(undefined);
    expect(fixed.ok && fixed.options.recallThreshold).toBe(undefined);
  });

  it("sends the recall threshold with the effective context, as the CLI's --recall takes it", () => {
    const effective = { ...DEFAULT_RUN_OPTIONS_FORM, effective: true };
    for (const [text, share] of [
      ["0.8", 0.8],
      [" .5 ", 0.5],
      ["1", 1],
      ["0.01", 0.01],
    ] as const) {
      const result = parseRunOptionsForm({ ...effective, recall: text });
      expect(result.ok && result.options.recallThreshold).toBe(share);
    }
    // Without the effective context the field is hidden: whatever it holds is neither checked nor sent.
    const plain = parseRunOptionsForm({ ...DEFAULT_RUN_OPTIONS_FORM, recall: "lots" });
    expect(plain).toEqual({ ok: true, options: { threshold: 31_744, reset: false, strategy: "fit" } });
  });

  it("refuses a recall threshold that is not above 0 and at most 1, saying so", () => {
    const effective = { ...DEFAULT_RUN_OPTIONS_FORM, effective: true };
    for (const text of ["0", "0.0", "1.5", "2", "-0.5", "80%", "most", "1e-1"]) {
      const result = parseRunOptionsForm({ ...effective, recall: text });
      expect(result).toEqual({
        ok: false,
        errors: {
          recall: `Recall threshold must be a share above 0 and at most 1 (e.g. 0.8 for 80% of the needles); got "${text}"`,
        },
      });
    }
    expect(parseRunOptionsForm({ ...effective, recall: "  " })).toEqual({
      ok: false,
      errors: { recall: "Recall threshold is required with the effective context" },
    });
  });

  it("says what is wrong with each field", () => {
    const result = parseRunOptionsForm({
      threshold: "",
      fixedContext: "20,000,000",
      precision: "abc",
      reset: false,
      strategy: "fit",
      effective: false,
      recall: "1",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.threshold).toBe("Threshold is required");
    expect(result.errors.fixedContext).toContain("between 1 and 10,000,000");
    expect(result.errors.precision).toContain("whole number");
  });
});
