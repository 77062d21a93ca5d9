import { describe, expect, it } from "vitest";
import { containsWholeNumber } from "./check-prompts";

describe("containsWholeNumber", () => {
  it.each(["5", "5.", "= 5", "The answer is 5.", "2+3=5", "**5**"])("finds 5 in %j", (reply) => {
    expect(containsWholeNumber(reply, 5)).toBe(true);
  });

  it.each(["15", "5.5", "50", "1,500", "", "five"])("does not find 5 in %j", (reply) => {
    expect(containsWholeNumber(reply, 5)).toBe(false);
  });

  it("finds 96 but not 960 or 196", () => {
    expect(containsWholeNumber("96", 96)).toBe(true);
    expect(containsWholeNumber("960", 96)).toBe(false);
    expect(containsWholeNumber("196", 96)).toBe(false);
  });
});
