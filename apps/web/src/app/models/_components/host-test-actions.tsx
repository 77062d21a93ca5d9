import { Button } from "~/components/button";
import type { HostWithReachability } from "~/components/use-hosts";
import { formatCount } from "~/lib/format";
import { countUntested, type ModelRow } from "../_lib/model-rows";

/**
 * Every host: how many models it has, whether its LM Studio answers, and a button to test the ones without a
 * result.
 */
export function HostTestActions({
  hosts,
  models,
  onTestAll,
}: {
  hosts: readonly HostWithReachability[];
  models: readonly ModelRow[];
  onTestAll: (host: { id: number; name: string }, untested: number) => void;
}) {
  return (
    <ul aria-label="Hosts" className="flex flex-wrap gap-2">
      {hosts.map((host) => {
        const modelCount = models.filter((model) => model.host.id === host.id).length;
        const untested = countUntested(models, host.id);
        const isDown = host.reachability === "down";
        return (
          <li
            key={host.id}
            className={`flex max-w-full flex-wrap items-center gap-x-3 gap-y-1 rounded-lg border bg-white px-3 py-2 text-sm shadow-sm ${isDown ? "border-red-200" : "border-slate-200"}`}
          >
            <span>
              <span className="font-semibold">{host.name}</span>{" "}
              {isDown ? (
                <span
                  className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-medium text-red-800"
                  title={`LM Studio is not answering at ${host.url}`}
                >
                  down
                </span>
              ) : null}{" "}
              <span className="text-slate-600">
                {formatCount(modelCount)} {modelCount === 1 ? "model" : "models"} · {formatCount(untested)} to
                test
              </span>
            </span>
            <Button
              size="sm"
              variant="primary"
              disabled={untested === 0}
              aria-label={`Test all untested models on ${host.name}`}
              title={untested === 0 ? "Every LLM on this host has a result" : undefined}
              onClick={() => onTestAll(host, untested)}
            >
              Test all untested
            </Button>
          </li>
        );
      })}
    </ul>
  );
}
