import { describe, expect, it } from "vitest";
import { type HostChoice, hostLabel, noHostChosenLabel, pickDefaultHost } from "./hosts";

const host = (id: number, reachability: HostChoice["reachability"], enabled = true): HostChoice => ({
  id,
  name: `host-${id}`,
  enabled,
  reachability,
});

describe("pickDefaultHost", () => {
  it("starts with the first host that answers, not the first in the list when it is down", () => {
    expect(pickDefaultHost([host(1, "down"), host(2, "down"), host(3, "up"), host(4, "up")])).toBe(3);
  });

  it("does not wait for hosts before it that are still being checked", () => {
    expect(pickDefaultHost([host(1, "checking"), host(2, "up")])).toBe(2);
  });

  it("prefers an enabled host to a disabled one that answers", () => {
    expect(pickDefaultHost([host(1, "up", false), host(2, "up")])).toBe(2);
    expect(pickDefaultHost([host(1, "up", false), host(2, "down")])).toBe(1);
  });

  it("has no default while nothing has answered, or when every host is down", () => {
    expect(pickDefaultHost([host(1, "checking"), host(2, "down")])).toBeNull();
    expect(pickDefaultHost([host(1, "down"), host(2, "down")])).toBeNull();
    expect(pickDefaultHost([])).toBeNull();
  });
});

describe("host labels", () => {
  it("marks a host that is down, and only that one", () => {
    expect(hostLabel(host(1, "down"))).toBe("host-1 (down)");
    expect(hostLabel(host(1, "up"))).toBe("host-1");
    expect(hostLabel(host(1, "checking"))).toBe("host-1");
    expect(hostLabel({ name: "plain" })).toBe("plain");
  });

  it("says why no host is chosen yet", () => {
    expect(noHostChosenLabel([host(1, "checking"), host(2, "down")])).toBe("Checking hosts…");
    expect(noHostChosenLabel([host(1, "down")])).toBe("No host answers");
    expect(noHostChosenLabel([])).toBe("No host yet");
  });
});
