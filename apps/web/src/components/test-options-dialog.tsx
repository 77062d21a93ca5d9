"use client";

import { type FormEvent, type ReactNode, useEffect, useId, useState } from "react";
import {
  DEFAULT_RUN_OPTIONS_FORM,
  parseRunOptionsForm,
  type RunOptionsChoice,
  type RunOptionsErrors,
  type RunOptionsForm,
} from "~/lib/run-options";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { TextField } from "./field";
import { InlineError } from "./query-state";

/** The options of a context test, asked for before every start (lmstrix's `test` flags). */
export function TestOptionsDialog({
  open,
  title,
  summary,
  isPending,
  error,
  onStart,
  onClose,
}: {
  open: boolean;
  title: string;
  summary: ReactNode;
  isPending: boolean;
  error: unknown;
  onStart: (options: RunOptionsChoice) => void;
  onClose: () => void;
}) {
  const [form, setForm] = useState<RunOptionsForm>(DEFAULT_RUN_OPTIONS_FORM);
  const [errors, setErrors] = useState<RunOptionsErrors>({});
  const resetId = useId();

  useEffect(() => {
    if (!open) return;
    setForm(DEFAULT_RUN_OPTIONS_FORM);
    setErrors({});
  }, [open]);

  const update = (patch: Partial<RunOptionsForm>) => setForm((current) => ({ ...current, ...patch }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseRunOptionsForm(form);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    onStart(parsed.options);
  };

  return (
    <Dialog open={open} onClose={onClose} title={title} description={summary}>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <TextField
          label="Threshold (tokens)"
          name="threshold"
          inputMode="numeric"
          autoComplete="off"
          value={form.threshold}
          onChange={(event) => update({ threshold: event.target.value })}
          hint="The largest context tried at first; a model that passes there steps up towards its declared size."
          error={errors.threshold}
        />
        <TextField
          label="Fixed context (tokens, optional)"
          name="fixedContext"
          inputMode="numeric"
          autoComplete="off"
          placeholder="search for the limit"
          value={form.fixedContext}
          onChange={(event) => update({ fixedContext: event.target.value })}
          hint="Test exactly this size instead of searching."
          error={errors.fixedContext}
        />
        <TextField
          label="Precision (tokens, optional)"
          name="precision"
          inputMode="numeric"
          autoComplete="off"
          placeholder="1% of the size, at least 256"
          value={form.precision}
          onChange={(event) => update({ precision: event.target.value })}
          hint="The binary search stops when good and bad sizes are this close."
          error={errors.precision}
        />
        <div className="flex items-start gap-2">
          <input
            id={resetId}
            type="checkbox"
            checked={form.reset}
            onChange={(event) => update({ reset: event.target.checked })}
            className="mt-0.5 size-4 accent-slate-900"
          />
          <label htmlFor={resetId} className="text-sm">
            <span className="font-medium">Reset</span>{" "}
            <span className="text-slate-600">— forget earlier results (last good / bad) before testing</span>
          </label>
        </div>
        <InlineError error={error} />
        <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={isPending}>
            {isPending ? "Starting…" : "Start test"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
