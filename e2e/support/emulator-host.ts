import { type Emulator, type FleetInput, startEmulator } from "@lmstrix/lmstudio-emulator";
import { test } from "@playwright/test";
import { type HostRow, trpcMutation, trpcQuery } from "./dashboard";

/**
 * An emulator of the spec's own, registered on the shared dashboard as host `name` and scanned before the
 * spec's tests, removed with it afterwards (and any host of that name an earlier, interrupted run left).
 */
export function useEmulatorHost(
  name: string,
  options: { fleet: FleetInput; seed: number; timeScale?: number },
) {
  let emulator: Emulator | undefined;
  let host: HostRow | undefined;
  test.beforeAll(async ({ request }) => {
    emulator = await startEmulator({
      fleet: options.fleet,
      timeScale: options.timeScale ?? 0.01,
      seed: options.seed,
    });
    host = await trpcMutation<HostRow>(request, "host.create", { name, url: emulator.url });
    await trpcMutation(request, "host.scan", { id: host.id });
  });
  test.afterAll(async ({ request }) => {
    const hosts = await trpcQuery<HostRow[]>(request, "host.list");
    for (const stale of hosts.filter((candidate) => candidate.name === name)) {
      await trpcMutation(request, "host.delete", { id: stale.id });
    }
    await emulator?.close();
  });
  return {
    get host(): HostRow {
      if (!host) throw new Error(`host ${name} is not registered yet`);
      return host;
    },
  };
}
