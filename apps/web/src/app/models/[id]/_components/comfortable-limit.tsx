"use client";

import { useEffect, useState } from "react";
import { Stat, StatGrid } from "~/components/facts";
import { TextField } from "~/components/field";
import { formatCount, formatDuration, formatTokensPerSecond } from "~/lib/format";
import {
  comfortableLimit,
  DEFAULT_THRESHOLDS,
  isValidThreshold,
  type Limits,
  readStoredThresholds,
  type SpeedProbe,
  type SpeedThresholds,
  THRESHOLDS_STORAGE_KEY,
} from "../_lib/speed";

type Drafts = Record<keyof SpeedThresholds, string>;

function toDrafts(thresholds: SpeedThresholds): Drafts {
  return {
    minGenTokensPerSec: String(thresholds.minGenTokensPerSec),
    maxTtftSec: String(thresholds.maxTtftSec),
  };
}

function store(thresholds: SpeedThresholds): void {
  try {
    window.localStorage.setItem(THRESHOLDS_STORAGE_KEY, JSON.stringify(thresholds));
  } catch {
    // Storage may be full or blocked; the thresholds still apply on this page.
  }
}

/** An input's text as a threshold, or NaN when it is not one. */
function parseDraft(draft: string): number {
  return draft.trim() === "" ? Number.NaN : Number(draft);
}

/** The largest context that is fast enough by the user's thresholds (kept in this browser). */
export function ComfortableLimit({ probes, limits }: { probes: readonly SpeedProbe[]; limits: Limits }) {
  const [drafts, setDrafts] = useState<Drafts>(() => toDrafts(DEFAULT_THRESHOLDS));
  // Stored thresholds are read after mount, so the server's render and the first client render agree.
  useEffect(() => {
    setDrafts(toDrafts(readStoredThresholds()));
  }, []);

  const thresholds: SpeedThresholds = {
    minGenTokensPerSec: parseDraft(drafts.minGenTokensPerSec),
    maxTtftSec: parseDraft(drafts.maxTtftSec),
  };
  const result = comfortableLimit(probes, thresholds, limits);

  const update = (key: keyof SpeedThresholds, value: string) => {
    const next = { ...drafts, [key]: value };
    setDrafts(next);
    const parsed = {
      minGenTokensPerSec: parseDraft(next.minGenTokensPerSec),
      maxTtftSec: parseDraft(next.maxTtftSec),
    };
    if (isValidThreshold(parsed.minGenTokensPerSec) && isValidThreshold(parsed.maxTtftSec)) store(parsed);
  };
  const errorOf = (key: keyof SpeedThresholds) =>
    isValidThreshold(thresholds[key]) ? undefined : "Enter a number of 0 or more";

  return (
    <div className="flex flex-col gap-4" data-testid="comfortable-limit">
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Minimum generation speed (tok/s)"
          type="number"
          inputMode="decimal"
          min={0}
          step="any"
          value={drafts.minGenTokensPerSec}
          error={errorOf("minGenTokensPerSec")}
          onChange={(event) => update("minGenTokensPerSec", event.target.value)}
        />
        <TextField
          label="Maximum time to first token at a full window (s)"
          type="number"
          inputMode="decimal"
          min={0}
          step="any"
          value={drafts.maxTtftSec}
          error={errorOf("maxTtftSec")}
          onChange={(event) => update("maxTtftSec", event.target.value)}
        />
      </div>
      <div aria-live="polite">
        <StatGrid>
          <Stat
            term="Comfortable limit"
            value={formatCount(result.context)}
            testId="comfortable-limit-value"
            className="text-lg font-semibold tabular-nums"
            note={
              result.context === null
                ? undefined
                : result.basis === "filled"
                  ? "from filled-window checks"
                  : "from short checks only"
            }
          />
          {result.context !== null ? (
            <>
              <Stat term="Generation there" value={formatTokensPerSecond(result.point.genTokensPerSec)} />
              <Stat
                term="First token there"
                value={result.point.ttftSec === null ? "-" : formatDuration(result.point.ttftSec * 1000)}
              />
            </>
          ) : null}
        </StatGrid>
        {result.context === null ? (
          <p className="mt-2 text-sm text-slate-600" data-testid="comfortable-limit-reason">
            {result.reason}
          </p>
        ) : result.basis === "short" ? (
          <p className="mt-2 text-sm text-amber-800">
            No filled-window check has speed figures, so this comes from short checks, whose first token is
            not the one at a full window. Test with “effective context” for a firmer figure.
          </p>
        ) : null}
        {result.context !== null && result.capped !== null ? (
          <p className="mt-1 text-xs text-slate-500">
            Kept at or below {formatCount(result.capped)} (the{" "}
            {limits.effectiveLimit === result.capped ? "effective" : "loadable"} limit).
          </p>
        ) : null}
        <p className="mt-2 text-xs text-slate-500">
          The largest measured context where generation reached the minimum and the first token came within
          the maximum. Thresholds are kept in this browser.
        </p>
      </div>
    </div>
  );
}
