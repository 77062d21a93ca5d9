import type { z } from "zod";

/** A short, human description of a value for "(got …)". */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object") return "an object";
  if (typeof value === "string") {
    const shown = value.length > 60 ? `${value.slice(0, 57)}…` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

export function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const got = `(got ${describeValue(value)})`;
  switch (issue.code) {
    case "invalid_type": {
      if (value === undefined) return "is required";
      if (issue.expected === "int") return `must be a whole number ${got}`;
      if (issue.expected === "number") return `must be a number ${got}`;
      if (issue.expected === "boolean") return `must be true or false ${got}`;
      if (issue.expected === "string") return `must be text ${got}`;
      return `must be ${issue.expected} ${got}`;
    }
    case "too_big":
      if (issue.origin === "string") return `is too long (at most ${formatLimit(issue.maximum)} characters)`;
      return `must be at most ${formatLimit(issue.maximum)} ${got}`;
    case "too_small":
      if (issue.origin === "string") return "must not be empty";
      if (Number(issue.minimum) === 0) return `must not be negative ${got}`;
      return `must be at least ${formatLimit(issue.minimum)} ${got}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((option) => JSON.stringify(option)).join(", ")} ${got}`;
    case "custom":
      return issue.message;
    default:
      return `${issue.message} ${got}`;
  }
}

function formatLimit(limit: number | bigint): string {
  return Number(limit).toLocaleString("en-US");
}

export function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  if (!position) {
    if (/end of (JSON )?input/i.test(message)) return "the file ends too early (truncated?)";
    return message;
  }
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  const where = `${message.replace(/\s*in JSON at position \d+.*$/, "")} at line ${line}, column ${column}`;
  return offset >= text.trimEnd().length - 1 ? `the file ends too early (truncated?): ${where}` : where;
}
