import { describe, expect, it } from "vitest";
import { AbandonedLoads } from "./abandoned-loads";

describe("AbandonedLoads", () => {
  it("remembers identifiers until they are deleted", () => {
    const abandoned = new AbandonedLoads();
    abandoned.add("a:lmstrix-1");
    expect(abandoned.has("a:lmstrix-1")).toBe(true);
    abandoned.delete("a:lmstrix-1");
    expect(abandoned.has("a:lmstrix-1")).toBe(false);
  });

  it("forgets the oldest beyond 100", () => {
    const abandoned = new AbandonedLoads();
    for (let i = 0; i < 105; i++) abandoned.add(`m:${i}`);
    expect(abandoned.size).toBe(100);
    expect(abandoned.has("m:4")).toBe(false);
    expect(abandoned.has("m:5")).toBe(true);
    expect(abandoned.has("m:104")).toBe(true);
  });
});
