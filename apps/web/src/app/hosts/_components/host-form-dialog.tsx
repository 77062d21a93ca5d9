"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { TextField } from "~/components/field";
import { InlineError } from "~/components/query-state";
import { fieldErrorsOf } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";
import { type HostForm, type HostFormErrors, validateHostForm } from "../_lib/host-form";

/** Add a host, or edit one when `host` is given. */
export function HostFormDialog({
  open,
  onClose,
  host,
}: {
  open: boolean;
  onClose: () => void;
  host?: { id: number; name: string; url: string };
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<HostForm>({ name: "", url: "" });
  const [errors, setErrors] = useState<HostFormErrors>({});
  const onSettled = () => {
    void queryClient.invalidateQueries(trpc.host.pathFilter());
    void queryClient.invalidateQueries(trpc.model.pathFilter());
  };
  const create = useMutation(trpc.host.create.mutationOptions({ onSuccess: onClose, onSettled }));
  const update = useMutation(trpc.host.update.mutationOptions({ onSuccess: onClose, onSettled }));
  const mutation = host ? update : create;

  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the dialog opens; resetting on every render would wipe what the user types
  useEffect(() => {
    if (!open) return;
    setForm(host ? { name: host.name, url: host.url } : { name: "", url: "ws://" });
    setErrors({});
    create.reset();
    update.reset();
  }, [open]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = validateHostForm(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    if (host) update.mutate({ id: host.id, ...checked.value });
    else create.mutate(checked.value);
  };

  const serverFields = fieldErrorsOf(mutation.error);
  const nameError = errors.name ?? serverFields.name?.[0];
  const urlError = errors.url ?? serverFields.url?.[0];
  const hasFieldErrors = Boolean(serverFields.name?.length || serverFields.url?.length);

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={host ? `Edit host ${host.name}` : "Add a host"}
      description="An LM Studio server on your network, reached over WebSocket."
    >
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <TextField
          label="Name"
          name="name"
          autoComplete="off"
          placeholder="gpu-box"
          value={form.name}
          onChange={(event) => setForm({ ...form, name: event.target.value })}
          hint="Letters, digits, '.', '_' and '-'."
          error={nameError}
        />
        <TextField
          label="URL"
          name="url"
          autoComplete="off"
          placeholder="ws://192.168.1.20:1234"
          value={form.url}
          onChange={(event) => setForm({ ...form, url: event.target.value })}
          hint="LM Studio's server address, ws:// or wss://, usually port 1234."
          error={urlError}
        />
        {mutation.error && !hasFieldErrors ? <InlineError error={mutation.error} /> : null}
        <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={mutation.isPending}>
            {mutation.isPending ? "Saving…" : host ? "Save" : "Add host"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
