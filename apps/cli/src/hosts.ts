import { DEFAULT_HOST_NAME, type Host, type Store } from "@lmstrix/core";
import type { CliEnv } from "./env";
import { UsageError } from "./errors";

/** The host every command uses without `--host`; created from LMSTUDIO_URL the first time it is needed. */
export { DEFAULT_HOST_NAME };

/**
 * A host named on the command line: a stored one, or the default one not stored yet. Looking it up never
 * writes, so an unknown host is reported without touching the database.
 */
export type HostChoice = ({ stored: Host } | { unsaved: { name: string; url: string } }) & {
  /** The other hosts the database has: where a user who forgot `--host` may have meant to go. */
  others: readonly string[];
};

export async function chooseHost(
  store: Store | null,
  name: string | undefined,
  env: CliEnv,
): Promise<HostChoice> {
  const wanted = name ?? DEFAULT_HOST_NAME;
  const hosts = store ? await store.listHosts() : [];
  const found = hosts.find((host) => host.name === wanted);
  const stored = hosts.map((host) => host.name);
  const others = stored.filter((other) => other !== wanted);
  if (found) return { stored: found, others };
  if (wanted === DEFAULT_HOST_NAME) {
    return { unsaved: { name: DEFAULT_HOST_NAME, url: env.LMSTUDIO_URL }, others };
  }
  // The default host is known before it is stored: it is made from LMSTUDIO_URL the first time it is used.
  const known = stored.includes(DEFAULT_HOST_NAME)
    ? stored
    : [`${DEFAULT_HOST_NAME} (the default, ${env.LMSTUDIO_URL})`, ...stored];
  throw new UsageError(
    `unknown host "${wanted}" (known: ${known.join(", ")}); add it with: lmstrix host add ${wanted} ws://ADDRESS:1234`,
  );
}

export function hostName(choice: HostChoice): string {
  return "stored" in choice ? choice.stored.name : choice.unsaved.name;
}

export function hostUrl(choice: HostChoice): string {
  return "stored" in choice ? choice.stored.url : choice.unsaved.url;
}

/** The stored host, creating the default one now (the command is valid and about to write). */
export async function saveHost(store: Store, choice: HostChoice): Promise<Host> {
  if ("stored" in choice) return choice.stored;
  return store.ensureHost(choice.unsaved.name, choice.unsaved.url);
}
