/** Whether a host's LM Studio answered its last status check; "checking" until it has. */
export type Reachability = "up" | "down" | "checking";

export interface HostChoice {
  id: number;
  name: string;
  enabled: boolean;
  reachability: Reachability;
}

/**
 * The host a form starts with: the first one that answers (an enabled one before a disabled one), in the
 * list's order. Never a host that is down: while none has answered yet, and when none answers, there is no
 * default and the user picks one.
 */
export function pickDefaultHost(hosts: readonly HostChoice[]): number | null {
  const answering = hosts.filter((host) => host.reachability === "up");
  return (answering.find((host) => host.enabled) ?? answering[0])?.id ?? null;
}

/** A host's name in a list of hosts, with "(down)" when its LM Studio does not answer. */
export function hostLabel(host: { name: string; reachability?: Reachability }): string {
  return host.reachability === "down" ? `${host.name} (down)` : host.name;
}

/** What a host picker says before a host is chosen. */
export function noHostChosenLabel(hosts: readonly HostChoice[]): string {
  if (hosts.length === 0) return "No host yet";
  return hosts.some((host) => host.reachability === "checking") ? "Checking hosts…" : "No host answers";
}
