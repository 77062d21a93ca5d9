import { describe, expect, it } from "vitest";
import { describeScan, validateHostForm } from "./host-form";

describe("validateHostForm", () => {
  it("accepts a name and a ws:// URL, trimmed", () => {
    expect(validateHostForm({ name: " gpu-box ", url: " ws://10.0.0.5:1234 " })).toEqual({
      ok: true,
      value: { name: "gpu-box", url: "ws://10.0.0.5:1234" },
    });
  });

  it("explains what is wrong with each field", () => {
    const result = validateHostForm({ name: "gpu box!", url: "http://10.0.0.5:1234" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.name).toContain("letters, digits");
    expect(result.errors.url).toBe("host URL must look like ws://127.0.0.1:1234");
  });

  it("requires a name", () => {
    const result = validateHostForm({ name: "", url: "ws://127.0.0.1:1234" });
    expect(result.ok ? null : result.errors.name).toBe("host name must not be empty");
  });
});

describe("describeScan", () => {
  it("counts what changed", () => {
    expect(describeScan({ added: ["a", "b"], changed: [], gone: ["c"], unchanged: 4 })).toBe(
      "2 new, 0 changed, 1 gone, 4 unchanged",
    );
  });
});
