import { HostOptions, SelectField, TextField } from "~/components/field";
import type { HostWithReachability } from "~/components/use-hosts";
import { TEST_STATUS_LABELS } from "~/lib/status";
import { type ModelFilters, type ModelRow, NO_MODEL_FILTERS } from "../_lib/model-rows";

export function ModelsFilters({
  models,
  hosts,
  filters,
  onChange,
}: {
  models: readonly ModelRow[];
  /** Every host, those without models too; down ones are marked. */
  hosts: readonly HostWithReachability[];
  filters: ModelFilters;
  /** The filters changed, and only those (a change builds on the current ones, not on this render's). */
  onChange: (patch: Partial<ModelFilters>) => void;
}) {
  const types = [...new Set(models.map((model) => model.type))].sort();
  const isFiltered =
    filters.hostId !== "all" || filters.type !== "all" || filters.status !== "all" || filters.text !== "";

  return (
    <search aria-label="Filter models" className="flex flex-wrap items-end gap-3">
      <TextField
        compact
        className="min-w-full flex-1 sm:min-w-56"
        label="Search"
        type="search"
        placeholder="Model key, name or host"
        value={filters.text}
        onChange={(event) => onChange({ text: event.target.value })}
      />
      <SelectField
        compact
        label="Host"
        value={String(filters.hostId)}
        onChange={(event) =>
          onChange({ hostId: event.target.value === "all" ? "all" : Number(event.target.value) })
        }
      >
        <option value="all">All hosts</option>
        <HostOptions hosts={hosts} />
      </SelectField>
      <SelectField
        compact
        label="Type"
        value={filters.type}
        onChange={(event) => onChange({ type: event.target.value })}
      >
        <option value="all">All types</option>
        {types.map((type) => (
          <option key={type}>{type}</option>
        ))}
      </SelectField>
      <SelectField
        compact
        label="Status"
        value={filters.status}
        onChange={(event) => onChange({ status: event.target.value })}
      >
        <option value="all">All statuses</option>
        {Object.entries(TEST_STATUS_LABELS).map(([status, label]) => (
          <option key={status} value={status}>
            {label}
          </option>
        ))}
      </SelectField>
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
