"use client";

import { SCHEDULE_ACTIONS, type ScheduleAction } from "@lmstrix/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "~/components/button";
import { SelectField, TextField } from "~/components/field";
import { InlineError } from "~/components/query-state";
import { fieldErrorsOf } from "~/lib/errors";
import { useTRPC } from "~/trpc/react";

const ACTION_LABELS: Record<ScheduleAction, string> = {
  "test-all": "Test all models",
  "retest-stale": "Re-test stale models",
};

/** A host's schedules: the runs the dashboard queues at cron times, with what each did when it last fired. */
export function HostSchedules({ hostId, hostName }: { hostId: number; hostName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const schedules = useQuery(trpc.schedule.list.queryOptions({ hostId }, { refetchInterval: 5_000 }));
  const refresh = () => void queryClient.invalidateQueries(trpc.schedule.pathFilter());
  const [cron, setCron] = useState("0 3 * * *");
  const [action, setAction] = useState<ScheduleAction>("retest-stale");
  const create = useMutation(trpc.schedule.create.mutationOptions({ onSettled: refresh }));
  const update = useMutation(trpc.schedule.update.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.schedule.delete.mutationOptions({ onSettled: refresh }));
  const fieldErrors = fieldErrorsOf(create.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ hostId, cron, action });
  };

  return (
    <section aria-label={`Schedules of ${hostName}`} className="flex flex-col gap-2 text-sm">
      <h3 className="font-medium text-slate-800">Schedules</h3>
      {schedules.data?.length ? (
        <ul className="flex flex-col gap-1" data-testid="schedule-list">
          {schedules.data.map((schedule) => (
            <li
              key={schedule.id}
              data-testid="schedule"
              className={`flex flex-wrap items-center gap-2 rounded border px-2 py-1 ${schedule.enabled ? "border-slate-200" : "border-dashed border-slate-300 text-slate-500"}`}
            >
              <code className="font-mono">{schedule.cron}</code>
              <span>{ACTION_LABELS[schedule.action]}</span>
              <span className="text-xs text-slate-600" data-testid="schedule-last">
                {schedule.lastRunAt
                  ? `last: ${schedule.lastRunAt.toLocaleString()} — ${schedule.lastOutcome ?? ""}`
                  : "not fired yet"}
              </span>
              <span className="ml-auto flex gap-1">
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => update.mutate({ id: schedule.id, enabled: !schedule.enabled })}
                  aria-label={`${schedule.enabled ? "Disable" : "Enable"} schedule ${schedule.cron}`}
                >
                  {schedule.enabled ? "Disable" : "Enable"}
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  className="text-red-700 hover:bg-red-50"
                  onClick={() => remove.mutate({ id: schedule.id })}
                  aria-label={`Remove schedule ${schedule.cron}`}
                >
                  Remove
                </Button>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-600">None. Times are the dashboard machine's local time.</p>
      )}
      <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-2">
        <TextField
          compact
          label="Cron (local time)"
          className="w-40"
          value={cron}
          onChange={(event) => setCron(event.target.value)}
          error={fieldErrors.cron?.[0]}
          autoComplete="off"
        />
        <SelectField
          compact
          label="Action"
          value={action}
          onChange={(event) => setAction(event.target.value as ScheduleAction)}
          error={fieldErrors.action?.[0]}
        >
          {SCHEDULE_ACTIONS.map((value) => (
            <option key={value} value={value}>
              {ACTION_LABELS[value]}
            </option>
          ))}
        </SelectField>
        <Button
          type="submit"
          size="sm"
          disabled={create.isPending}
          aria-label={`Add schedule to ${hostName}`}
        >
          Add schedule
        </Button>
      </form>
      {fieldErrors.cron || fieldErrors.action ? null : <InlineError error={create.error} />}
      <InlineError error={update.error ?? remove.error} />
    </section>
  );
}
