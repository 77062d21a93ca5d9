"use client";

import { type FitResult, MAX_CONTEXT, MAX_TOKENS_PER_SEC, typedTokensPerSecSchema } from "@lmstrix/core";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useEffect, useState } from "react";
import { Button } from "~/components/button";
import { SelectField, TextField } from "~/components/field";
import { InlineError } from "~/components/query-state";
import { CardTable, CELL, NUMBER_CELL } from "~/components/table";
import { formatCount, formatTokensPerSecond } from "~/lib/format";
import { fromJsonText } from "~/lib/json-text";
import { useTRPC } from "~/trpc/react";
import { FIT_TYPES, type FinderView, type FitType } from "../_lib/matrix-url";

interface FinderDraft {
  tokens: string;
  minTps: string;
  type: FitType;
}

const draftOf = (view: FinderView): FinderDraft => ({
  tokens: view.tokens === null ? "" : String(view.tokens),
  minTps: view.minTps === null ? "" : String(view.minTps),
  type: view.type,
});

/** The typed request as a view, or what is wrong with it. */
function readDraft(
  draft: FinderDraft,
): { view: FinderView } | { errors: Partial<Record<"tokens" | "minTps", string>> } {
  const errors: Partial<Record<"tokens" | "minTps", string>> = {};
  const tokensText = draft.tokens.trim().replace(/[,_\s]/g, "");
  const tokens = Number(tokensText);
  if (!/^\d+$/.test(tokensText) || tokens < 1 || tokens > MAX_CONTEXT) {
    errors.tokens = `A whole number of tokens from 1 to ${formatCount(MAX_CONTEXT)}.`;
  }
  const speedText = draft.minTps.trim();
  const speed = speedText === "" ? null : typedTokensPerSecSchema.safeParse(speedText);
  const minTps = speed?.success ? speed.data : null;
  if (speed && !speed.success) {
    errors.minTps = `Tokens per second from 0 to ${formatCount(MAX_TOKENS_PER_SEC)}, or empty for any speed.`;
  }
  if (errors.tokens || errors.minTps) return { errors };
  return { view: { tokens, minTps: minTps === 0 ? null : minTps, type: draft.type } };
}

function limitText(fit: FitResult): string {
  return `${formatCount(fit.limit)} (${fit.limitKind})`;
}

function speedText(fit: FitResult): string {
  if (fit.genTokensPerSec === null || fit.speedContext === null) return "not measured at this size";
  return `${formatTokensPerSecond(fit.genTokensPerSec)} at ${formatCount(fit.speedContext)} (${fit.speedKind} check)`;
}

/** "Which model on which host serves N tokens at X tok/s or faster?", answered by measurement, best first. */
export function FitFinder({ view, onChange }: { view: FinderView; onChange: (view: FinderView) => void }) {
  const trpc = useTRPC();
  const [draft, setDraft] = useState(() => draftOf(view));
  const [errors, setErrors] = useState<Partial<Record<"tokens" | "minTps", string>>>({});
  // Back and forward change the view: the form follows.
  useEffect(() => setDraft(draftOf(view)), [view]);
  const fits = useQuery({
    ...trpc.matrix.fit.queryOptions(
      {
        tokens: view.tokens ?? 1,
        minTokensPerSec: view.minTps ?? 0,
        type: view.type === "all" ? undefined : view.type,
      },
      { enabled: view.tokens !== null },
    ),
    select: fromJsonText,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const read = readDraft(draft);
    if ("errors" in read) return setErrors(read.errors);
    setErrors({});
    onChange(read.view);
  };

  return (
    <section aria-labelledby="finder-title" className="flex flex-col gap-3">
      <h2 id="finder-title" className="text-lg font-semibold">
        What fits
      </h2>
      <p className="text-sm text-slate-600">
        Models whose effective limit (or loadable limit, where the effective one is not measured) holds the
        tokens, and that generated at least that fast in a test at a window that large; a model whose
        effective search found none serves no request. Best first: current results before stale ones, then the
        fastest, then the most headroom.
      </p>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3" noValidate>
        <TextField
          compact
          label="Tokens of context"
          inputMode="numeric"
          value={draft.tokens}
          error={errors.tokens}
          onChange={(event) => setDraft({ ...draft, tokens: event.target.value })}
        />
        <TextField
          compact
          label="At least tok/s"
          inputMode="decimal"
          placeholder="any"
          value={draft.minTps}
          error={errors.minTps}
          onChange={(event) => setDraft({ ...draft, minTps: event.target.value })}
        />
        <SelectField
          compact
          label="Type"
          value={draft.type}
          onChange={(event) => setDraft({ ...draft, type: event.target.value as FitType })}
        >
          {FIT_TYPES.map((type) => (
            <option key={type} value={type}>
              {type === "all" ? "All types" : type}
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="primary">
          Find
        </Button>
      </form>
      {view.tokens === null ? null : fits.isError ? (
        <InlineError error={fits.error} />
      ) : fits.isPending ? (
        <p className="text-sm text-slate-600">Finding…</p>
      ) : fits.data.length === 0 ? (
        <p className="text-sm text-slate-600">
          No tested model serves {formatCount(view.tokens)} tokens
          {view.minTps === null ? "" : ` at ${formatTokensPerSecond(view.minTps)}`} by measurement.
        </p>
      ) : (
        <CardTable
          caption="Models that fit, best first"
          columns={[
            { label: "Model" },
            { label: "Host" },
            { label: "Limit", align: "right" },
            { label: "Speed" },
          ]}
        >
          {fits.data.map((fit) => (
            <tr key={fit.modelId}>
              <td className={CELL}>
                <Link
                  href={`/models/${fit.modelId}`}
                  className="font-mono text-xs font-medium text-sky-800 hover:underline"
                >
                  {fit.modelKey}
                </Link>
                {fit.stale.length > 0 ? (
                  <span className="ml-2 text-xs font-medium text-amber-800" title={fit.stale.join("; ")}>
                    ⚠ stale
                  </span>
                ) : null}
              </td>
              <td className={CELL}>{fit.hostName}</td>
              <td className={NUMBER_CELL}>{limitText(fit)}</td>
              <td className={CELL}>{speedText(fit)}</td>
            </tr>
          ))}
        </CardTable>
      )}
    </section>
  );
}
