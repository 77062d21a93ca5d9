import { hostNameSchema, hostUrlSchema, lmstudioHomeSchema } from "@lmstrix/core";

export interface HostForm {
  name: string;
  url: string;
  /** Edit form only: the host's LM Studio home on the dashboard's machine; empty: not here. */
  lmstudioHome?: string;
}

/** What the form sends: an empty LM Studio home clears it. */
export interface HostFormValue {
  name: string;
  url: string;
  lmstudioHome?: string | null;
}

export type HostFormErrors = Partial<Record<keyof HostForm, string>>;

/** The server's own rules, checked before sending so mistakes show next to the field at once. */
export function validateHostForm(
  form: HostForm,
): { ok: true; value: HostFormValue } | { ok: false; errors: HostFormErrors } {
  const name = hostNameSchema.safeParse(form.name);
  const url = hostUrlSchema.safeParse(form.url);
  const typedHome = form.lmstudioHome?.trim();
  const home = typedHome ? lmstudioHomeSchema.safeParse(typedHome) : null;
  if (name.success && url.success && (home === null || home.success)) {
    const value: HostFormValue = { name: name.data, url: url.data };
    if (form.lmstudioHome !== undefined) value.lmstudioHome = home?.data ?? null;
    return { ok: true, value };
  }
  const errors: HostFormErrors = {};
  if (home && !home.success) errors.lmstudioHome = home.error.issues[0]?.message ?? "Invalid folder";
  if (!name.success) errors.name = name.error.issues[0]?.message ?? "Invalid name";
  if (!url.success) errors.url = url.error.issues[0]?.message ?? "Invalid URL";
  return { ok: false, errors };
}

export interface ScanResult {
  added: string[];
  changed: string[];
  gone: string[];
  unchanged: number;
}

export function describeScan(result: ScanResult): string {
  return `${result.added.length} new, ${result.changed.length} changed, ${result.gone.length} gone, ${result.unchanged} unchanged`;
}
