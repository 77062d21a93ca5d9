import { useId } from "react";
import { INPUT_CLASS } from "~/components/field";
import { TEST_STATUS_LABELS } from "~/lib/status";
import { type ModelFilters, type ModelRow, NO_MODEL_FILTERS } from "../_lib/model-rows";

const SELECT_CLASS = `${INPUT_CLASS} pr-8`;

export function ModelsFilters({
  models,
  filters,
  onChange,
}: {
  models: readonly ModelRow[];
  filters: ModelFilters;
  onChange: (filters: ModelFilters) => void;
}) {
  const id = useId();
  const hosts = [...new Map(models.map((model) => [model.host.id, model.host])).values()];
  const types = [...new Set(models.map((model) => model.type))].sort();
  const isFiltered =
    filters.hostId !== "all" || filters.type !== "all" || filters.status !== "all" || filters.text !== "";
  const update = (patch: Partial<ModelFilters>) => onChange({ ...filters, ...patch });

  return (
    <search aria-label="Filter models" className="flex flex-wrap items-end gap-3">
      <div className="flex min-w-56 flex-1 flex-col gap-1">
        <label htmlFor={`${id}-text`} className="text-xs font-medium text-slate-600">
          Search
        </label>
        <input
          id={`${id}-text`}
          type="search"
          placeholder="Model key, name or host"
          value={filters.text}
          onChange={(event) => update({ text: event.target.value })}
          className={INPUT_CLASS}
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-host`} className="text-xs font-medium text-slate-600">
          Host
        </label>
        <select
          id={`${id}-host`}
          value={String(filters.hostId)}
          onChange={(event) =>
            update({ hostId: event.target.value === "all" ? "all" : Number(event.target.value) })
          }
          className={SELECT_CLASS}
        >
          <option value="all">All hosts</option>
          {hosts.map((host) => (
            <option key={host.id} value={host.id}>
              {host.name}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-type`} className="text-xs font-medium text-slate-600">
          Type
        </label>
        <select
          id={`${id}-type`}
          value={filters.type}
          onChange={(event) => update({ type: event.target.value })}
          className={SELECT_CLASS}
        >
          <option value="all">All types</option>
          {types.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-status`} className="text-xs font-medium text-slate-600">
          Status
        </label>
        <select
          id={`${id}-status`}
          value={filters.status}
          onChange={(event) => update({ status: event.target.value })}
          className={SELECT_CLASS}
        >
          <option value="all">All statuses</option>
          {Object.entries(TEST_STATUS_LABELS).map(([status, label]) => (
            <option key={status} value={status}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {isFiltered ? (
        <button
          type="button"
          onClick={() => onChange(NO_MODEL_FILTERS)}
          className="py-2 text-sm font-medium text-sky-800 underline"
        >
          Clear filters
        </button>
      ) : null}
    </search>
  );
}
