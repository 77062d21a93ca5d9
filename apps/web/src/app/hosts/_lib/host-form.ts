import { hostNameSchema, hostUrlSchema } from "@lmstrix/core";

export interface HostForm {
  name: string;
  url: string;
}

export type HostFormErrors = Partial<Record<keyof HostForm, string>>;

/** The server's own rules, checked before sending so mistakes show next to the field at once. */
export function validateHostForm(
  form: HostForm,
): { ok: true; value: HostForm } | { ok: false; errors: HostFormErrors } {
  const name = hostNameSchema.safeParse(form.name);
  const url = hostUrlSchema.safeParse(form.url);
  if (name.success && url.success) return { ok: true, value: { name: name.data, url: url.data } };
  const errors: HostFormErrors = {};
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
