import { LmstrixError } from "../errors/lmstrix-error";

/** One problem found in a registry file, located by entry key and field. */
export interface RegistryIssue {
  /** Where it is, in JavaScript notation: `llms["qwen3-8b"].ctx_in`, `[3].path`, `llms` or `` (the whole file). */
  path: string;
  /** The entry's key in the file (`llms` key, legacy map key, or list index as text), when the problem is in an entry. */
  key: string | null;
  /** The entry's field, when the problem is in one field. */
  field: string | null;
  /** What is wrong, for a person: `must be at most 10,000,000 (got 99999999999)`. */
  problem: string;
}

/** `path: problem`, or just the problem for the whole file. */
export function formatIssue(issue: RegistryIssue): string {
  return issue.path === "" ? issue.problem : `${issue.path}: ${issue.problem}`;
}

const MAX_LISTED = 20;

/** A registry file LMStrix refuses; `message` names every entry and field that is wrong (the first 20). */
export class RegistryError extends LmstrixError<"INVALID_REGISTRY"> {
  override readonly name = "RegistryError";

  constructor(readonly issues: readonly RegistryIssue[]) {
    super("INVALID_REGISTRY", describeIssues(issues));
  }
}

function describeIssues(issues: readonly RegistryIssue[]): string {
  if (issues.length === 0) return "invalid registry";
  if (issues.length === 1) return formatIssue(issues[0]!);
  const listed = issues.slice(0, MAX_LISTED).map(formatIssue);
  const more = issues.length > MAX_LISTED ? [`… and ${issues.length - MAX_LISTED} more`] : [];
  return [`${issues.length} problems in the registry:`, ...listed, ...more].join("\n");
}

export function isRegistryError(error: unknown): error is RegistryError {
  return error instanceof RegistryError;
}
