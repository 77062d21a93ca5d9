"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

/**
 * A page's view state (sort, filters, page) kept in its URL's query, so that a reload, a shared link and
 * back/forward give the same view. `parse` must accept any query (a hand-edited one too) and `serialize`
 * should leave defaults out; both must be stable (module-level) functions.
 *
 * The URL is changed with the History API, which Next.js follows (useSearchParams updates) without a
 * navigation: nothing is fetched from the server for a new sort order. "push" makes a history entry (a
 * choice worth going back from), "replace" does not (each keystroke of a search). Pass an updater to change
 * part of the state: it gets the state as the URL has it now.
 */
export function useUrlState<State>(
  parse: (params: URLSearchParams) => State,
  serialize: (state: State) => URLSearchParams,
) {
  const query = useSearchParams().toString();
  const state = useMemo(() => parse(new URLSearchParams(query)), [parse, query]);
  const setState = useCallback(
    (next: State | ((current: State) => State), mode: "push" | "replace" = "push") => {
      // The URL, not the last render, is the state now: a second change made before React has re-rendered
      // after the first (two filters picked quickly) builds on the first instead of undoing it.
      const current = parse(new URLSearchParams(window.location.search));
      const nextQuery = serialize(next instanceof Function ? next(current) : next).toString();
      if (nextQuery === serialize(current).toString()) return;
      const url = `${window.location.pathname}${nextQuery ? `?${nextQuery}` : ""}`;
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [parse, serialize],
  );
  return [state, setState] as const;
}
