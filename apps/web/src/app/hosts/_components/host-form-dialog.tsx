"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Dialog, DialogFormButtons } from "~/components/dialog";
import { TextField } from "~/components/field";
import { InlineError } from "~/components/query-state";
import { fieldErrorsOf } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";
import { type HostForm, type HostFormErrors, validateHostForm } from "../_lib/host-form";

const FIELDS = [
  { name: "name", label: "Name", placeholder: "gpu-box", hint: "Letters, digits, '.', '_' and '-'." },
  {
    name: "url",
    label: "URL",
    placeholder: "ws://192.168.1.20:1234",
    hint: "LM Studio's server address, ws:// or wss://, usually port 1234.",
  },
] as const;

interface EditedHost {
  id: number;
  name: string;
  url: string;
  lmstudioHome?: string | null;
}

/** Edit form only: where "Apply to LM Studio" writes this host's settings. */
const HOME_FIELD = {
  name: "lmstudioHome",
  label: "LM Studio home on this machine",
  placeholder: "/home/me/.lmstudio",
  hint: "Where this host's LM Studio keeps its settings, if on the dashboard's machine; empty: not here.",
} as const;

/** Add a host, or edit one when `host` is given. */
export function HostFormDialog({
  open,
  onClose,
  host,
}: {
  open: boolean;
  onClose: () => void;
  host?: EditedHost;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={host ? `Edit host ${host.name}` : "Add a host"}
      description="An LM Studio server on your network, reached over WebSocket."
    >
      <HostFormBody onClose={onClose} host={host} />
    </Dialog>
  );
}

/** Mounted anew on every opening: it starts from the host (or blank), without the last attempt's errors. */
function HostFormBody({ onClose, host }: { onClose: () => void; host?: EditedHost }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<HostForm>(
    host
      ? { name: host.name, url: host.url, lmstudioHome: host.lmstudioHome ?? "" }
      : { name: "", url: "ws://" },
  );
  const [errors, setErrors] = useState<HostFormErrors>({});
  const onSettled = () => {
    void queryClient.invalidateQueries(trpc.host.pathFilter());
    void queryClient.invalidateQueries(trpc.model.pathFilter());
  };
  const create = useMutation(trpc.host.create.mutationOptions({ onSuccess: onClose, onSettled }));
  const update = useMutation(trpc.host.update.mutationOptions({ onSuccess: onClose, onSettled }));
  const mutation = host ? update : create;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = validateHostForm(form);
    setErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) return;
    if (host) update.mutate({ id: host.id, ...checked.value });
    else create.mutate(checked.value);
  };

  const serverFields = fieldErrorsOf(mutation.error);
  const fields = host ? [...FIELDS, HOME_FIELD] : FIELDS;
  const hasFieldErrors = fields.some((field) => serverFields[field.name]?.length);

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4">
      {fields.map((field) => (
        <TextField
          key={field.name}
          {...field}
          autoComplete="off"
          value={form[field.name] ?? ""}
          onChange={(event) => setForm({ ...form, [field.name]: event.target.value })}
          error={errors[field.name] ?? serverFields[field.name]?.[0]}
        />
      ))}
      {hasFieldErrors ? null : <InlineError error={mutation.error} />}
      <DialogFormButtons
        onCancel={onClose}
        isPending={mutation.isPending}
        label={host ? "Save" : "Add host"}
        pendingLabel="Saving…"
      />
    </form>
  );
}
