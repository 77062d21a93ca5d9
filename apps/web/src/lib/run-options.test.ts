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
      options: { threshold: 31_744, reset: false, strategy: "fit", effective: true },
    });
    const fixed = parseRunOptionsForm({ ...effective, fixedContext: "8192" });
    expect(fixed.ok && fixed.options.effective).toBe(undefined);
  });

  it("says what is wrong with each field", () => {
    const result = parseRunOptionsForm({
      threshold: "",
      fixedContext: "20,000,000",
      precision: "abc",
      reset: false,
      strategy: "fit",
      effective: false,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.threshold).toBe("Threshold is required");
    expect(result.errors.fixedContext).toContain("between 1 and 10,000,000");
    expect(result.errors.precision).toContain("whole number");
  });
});
