import { QueryClient } from "@tanstack/react-query";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // A down server should show an error quickly, not a long spinner.
        retry: 1,
      },
    },
  });
}
