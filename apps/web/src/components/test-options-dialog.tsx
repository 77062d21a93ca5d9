"use client";

import { type FormEvent, type ReactNode, useState } from "react";
import {
  DEFAULT_RUN_OPTIONS_FORM,
  parseRunOptionsForm,
  type RunOptionsChoice,
  type RunOptionsErrors,
  type RunOptionsForm,
  STRATEGY_LABELS,
} from "~/lib/run-options";
import { Dialog, DialogFormButtons } from "./dialog";
import { CheckboxField, SelectField, TextField } from "./field";
import { InlineError } from "./query-state";

const NUMBER_FIELDS: { name: keyof RunOptionsErrors; label: string; placeholder?: string; hint: string }[] = [
  {
    name: "threshold",
    label: "Threshold (tokens)",
    hint: "The largest context tried at first; a model that passes there steps up towards its declared size.",
  },
  {
    name: "fixedContext",
    label: "Fixed context (tokens, optional)",
    placeholder: "search for the limit",
    hint: "Test exactly this size instead of searching.",
  },
  {
    name: "precision",
    label: "Precision (tokens, optional)",
    placeholder: "1% of the size, at least 256",
    hint: "The binary search stops when good and bad sizes are this close.",
  },
];

interface FormProps {
  isPending: boolean;
  error: unknown;
  onStart: (options: RunOptionsChoice) => void;
  onClose: () => void;
}

/** The options of a context test, asked for before every start (lmstrix's `test` flags). */
export function TestOptionsDialog({
  open,
  title,
  summary,
  ...form
}: FormProps & { open: boolean; title: string; summary: ReactNode }) {
  return (
    <Dialog open={open} onClose={form.onClose} title={title} description={summary}>
      <TestOptionsForm {...form} />
    </Dialog>
  );
}

/** Mounted anew on every opening, so each start begins from the defaults. */
function TestOptionsForm({ isPending, error, onStart, onClose }: FormProps) {
  const [form, setForm] = useState<RunOptionsForm>(DEFAULT_RUN_OPTIONS_FORM);
  const [errors, setErrors] = useState<RunOptionsErrors>({});
  const update = (patch: Partial<RunOptionsForm>) => setForm((current) => ({ ...current, ...patch }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseRunOptionsForm(form);
    setErrors(parsed.ok ? {} : parsed.errors);
    if (parsed.ok) onStart(parsed.options);
  };

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4">
      {NUMBER_FIELDS.map((field) => (
        <TextField
          key={field.name}
          {...field}
          inputMode="numeric"
          autoComplete="off"
          value={form[field.name]}
          onChange={(event) => update({ [field.name]: event.target.value })}
          error={errors[field.name]}
        />
      ))}
      <SelectField
        label="Search"
        hint="fit predicts each limit from what the host showed before (LM Studio's memory figures, other models' results) and verifies it; lmstrix searches the way the Python tool does."
        value={form.strategy}
        onChange={(event) => update({ strategy: event.target.value as RunOptionsForm["strategy"] })}
      >
        <option value="fit">{STRATEGY_LABELS.fit}</option>
        <option value="lmstrix">{STRATEGY_LABELS.lmstrix}</option>
      </SelectField>
      <CheckboxField checked={form.reset} onChange={(event) => update({ reset: event.target.checked })}>
        <span className="font-medium">Reset</span>{" "}
        <span className="text-slate-600">— forget earlier results (last good / bad) before testing</span>
      </CheckboxField>
      <CheckboxField
        checked={form.effective}
        onChange={(event) => update({ effective: event.target.checked })}
      >
        <span className="font-medium">Also measure the effective context (fills the window)</span>{" "}
        <span className="text-slate-600">
          — after the loadable limit, finds the largest size at which a prompt filling the window is still
          recalled (slower: every check processes a full window)
        </span>
      </CheckboxField>
      {form.effective ? (
        <TextField
          name="recall"
          label="Recall threshold (share of needles)"
          hint="A length counts as effective while it recalls at least this share of the hidden codes, averaged over their depths (default 0.856: RULER's 85.6 %; 1 = all of them)."
          inputMode="decimal"
          autoComplete="off"
          value={form.recall}
          onChange={(event) => update({ recall: event.target.value })}
          error={errors.recall}
        />
      ) : null}
      <InlineError error={error} />
      <DialogFormButtons
        onCancel={onClose}
        isPending={isPending}
        label="Start test"
        pendingLabel="Starting…"
      />
    </form>
  );
}
