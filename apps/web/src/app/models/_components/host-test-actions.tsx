import { Button } from "~/components/button";
import { formatCount } from "~/lib/format";
import { countUntested, type ModelRow } from "../_lib/model-rows";

interface HostSummary {
  id: number;
  name: string;
  models: number;
  untested: number;
}

function summarise(models: readonly ModelRow[]): HostSummary[] {
  const hosts = new Map<number, HostSummary>();
  for (const model of models) {
    const host = hosts.get(model.host.id) ?? { ...model.host, models: 0, untested: 0 };
    host.models += 1;
    hosts.set(model.host.id, host);
  }
  return [...hosts.values()].map((host) => ({ ...host, untested: countUntested(models, host.id) }));
}

/** Per host: how many models it has, and a button to test the ones without a result. */
export function HostTestActions({
  models,
  onTestAll,
}: {
  models: readonly ModelRow[];
  onTestAll: (host: { id: number; name: string }, untested: number) => void;
}) {
  return (
    <ul aria-label="Hosts" className="flex flex-wrap gap-2">
      {summarise(models).map((host) => (
        <li
          key={host.id}
          className="flex items-center gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-sm"
        >
          <span>
            <span className="font-semibold">{host.name}</span>{" "}
            <span className="text-slate-600">
              {formatCount(host.models)} {host.models === 1 ? "model" : "models"} ·{" "}
              {formatCount(host.untested)} to test
            </span>
          </span>
          <Button
            size="sm"
            variant="primary"
            disabled={host.untested === 0}
            aria-label={`Test all untested models on ${host.name}`}
            title={host.untested === 0 ? "Every LLM on this host has a result" : undefined}
            onClick={() => onTestAll(host, host.untested)}
          >
            Test all untested
          </Button>
        </li>
      ))}
    </ul>
  );
}
