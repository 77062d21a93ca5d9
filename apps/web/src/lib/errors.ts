/** Field → messages, as the server's error formatter sends them for bad input. */
export type FieldErrors = Record<string, string[] | undefined>;

interface ErrorWithData {
  message?: unknown;
  data?: { zodError?: { fieldErrors?: FieldErrors; formErrors?: string[] } | null } | null;
}

/** The field errors of a rejected mutation, or an empty object. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  if (!error || typeof error !== "object") return {};
  return (error as ErrorWithData).data?.zodError?.fieldErrors ?? {};
}

/**
 * A sentence for a person: the first message of each invalid field when the server rejected the input (its
 * raw message is a JSON dump of the schema issues), else the error's own message.
 */
export function describeError(error: unknown): string {
  if (!error) return "Unknown error";
  const zod = typeof error === "object" ? (error as ErrorWithData).data?.zodError : null;
  if (zod) {
    const messages = [
      ...(zod.formErrors ?? []),
      ...Object.values(zod.fieldErrors ?? {}).flatMap((list) => list?.slice(0, 1) ?? []),
    ];
    if (messages.length > 0) return messages.join("; ");
  }
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && typeof (error as ErrorWithData).message === "string") {
    return (error as { message: string }).message;
  }
  return String(error);
}

/** A query's retry rule for a detail page: once, unless the server said there is no such thing. */
export function retryUnlessNotFound(
  failureCount: number,
  error: { data?: { code?: string } | null },
): boolean {
  return error.data?.code !== "NOT_FOUND" && failureCount < 1;
}
