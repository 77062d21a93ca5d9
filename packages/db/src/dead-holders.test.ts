import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { recoverInterruptedRuns } from "@lmstrix/core";
import { describe, expect, it } from "vitest";
import { startRun, useTempStore } from "../test/support/engine-harness";
import { isDeadLocalHolder, recoverStoppedRuns } from "./dead-holders";

/** The pid of a process that has exited (and been reaped): nothing answers to it any more. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid as number;
}

describe("isDeadLocalHolder", () => {
  const alive = () => true;
  const dead = () => false;

  it("is true only for a holder on this machine whose process is gone", () => {
    expect(isDeadLocalHolder("web:box:4242", "box", dead)).toBe(true);
    expect(isDeadLocalHolder("cli:box:4242", "box", dead)).toBe(true);
    expect(isDeadLocalHolder("cli:box:4242", "box", alive)).toBe(false);
    // Another machine's process cannot be checked from here: its lease goes stale the normal way.
    expect(isDeadLocalHolder("cli:other-box:4242", "box", dead)).toBe(false);
    // Not a name a worker gives itself.
    expect(isDeadLocalHolder("someone", "box", dead)).toBe(false);
    expect(isDeadLocalHolder("cli:box:", "box", dead)).toBe(false);
    // This very process holds it (a pid reused after a restart in a container, say): alive by definition.
    expect(isDeadLocalHolder(`web:box:${process.pid}`, "box", dead)).toBe(false);
  });

  it("asks the operating system about real processes", async () => {
    expect(isDeadLocalHolder(`cli:${hostname()}:${await exitedPid()}`)).toBe(true);
    expect(isDeadLocalHolder(`cli:${hostname()}:${process.ppid}`)).toBe(false);
  });
});

describe("a run whose local worker died", () => {
  const temp = useTempStore();

  it("is recovered at once with the dead worker's last heartbeat, and the host's lease is freed", async () => {
    const { store } = temp;
    const { host, run } = await startRun(store, { modelKeys: ["small"] });
    const holder = `web:${hostname()}:${await exitedPid()}`;
    // A heartbeat a moment ago: by the clock alone the lease is live for another 30 s.
    expect(await store.acquireHostLease(host.id, holder, run.id, 30_000)).toBe(true);
    const heartbeatAt = (await store.getHostLease(host.id))!.heartbeatAt;

    // Without knowing the holder is dead, the run looks alive.
    expect(await recoverInterruptedRuns(store, 30_000)).toEqual([]);

    const recovered = await recoverStoppedRuns(store, 30_000);
    expect(recovered.map((r) => [r.id, r.status])).toEqual([[run.id, "interrupted"]]);
    const events = await store.listEventsAfter(run.id, 0, 10);
    expect(events.map((event) => [event.type, event.payload.lastAliveAt])).toEqual([
      ["run.interrupted", heartbeatAt.toISOString()],
    ]);

    expect(await store.getHostLease(host.id)).toBeNull();
    // The next worker takes the host at once.
    expect(await store.acquireHostLease(host.id, `web:${hostname()}:${process.pid}`, run.id, 30_000)).toBe(
      true,
    );
  });

  it("leaves the lease of a process on another machine to go stale", async () => {
    const { store } = temp;
    const { host, run } = await startRun(store, { modelKeys: ["small"] });
    expect(await store.acquireHostLease(host.id, "cli:another-machine:1", run.id, 30_000)).toBe(true);
    expect(await recoverStoppedRuns(store, 30_000)).toEqual([]);
    expect((await store.getHostLease(host.id))?.holder).toBe("cli:another-machine:1");
  });
});
