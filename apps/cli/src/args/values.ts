import { hostNameSchema, MAX_MODEL_KEY_LENGTH, plainDecimalSchema } from "@lmstrix/core";
import { z } from "zod";
import { UsageError } from "../errors";

/**
 * The checks of typed values. Each refusal is a `UsageError` naming the flag and what it allows, pointing at
 * the command's help.
 */

/** Digits only, once "31,744" and "31_744" (as the tables print them) are joined up. */
const wholeNumberText = z
  .string()
  .trim()
  .transform((text) => text.replace(/[,_](?=\d{3}(\D|$))/g, ""))
  .pipe(z.string().regex(/^\d+$/));

/** A whole number in [min, max]; "31,744" and "31_744" are accepted, as the tables print them. */
export function integer(command: string, flag: string, text: string, min: number, max: number): number {
  const schema = wholeNumberText.transform(Number).pipe(z.number().int().min(min).max(max));
  const parsed = schema.safeParse(text);
  if (parsed.success) return parsed.data;
  throw new UsageError(
    `${flag} must be a whole number between ${min.toLocaleString("en-US")} and ${max.toLocaleString("en-US")}; got "${text}"`,
    command,
  );
}

/** A decimal number in [min, max], written plainly: "0.5", ".5", "2" (no signs, exponents or units). */
export function decimal(command: string, flag: string, text: string, min: number, max: number): number {
  const schema = plainDecimalSchema.pipe(z.number().min(min).max(max));
  const parsed = schema.safeParse(text);
  if (parsed.success) return parsed.data;
  throw new UsageError(`${flag} must be a number between ${min} and ${max}; got "${text}"`, command);
}

export function oneOf<T extends string>(
  command: string,
  flag: string,
  value: string,
  allowed: readonly T[],
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(", ")}; got "${value}"`, command);
}

/** A model key as typed: trimmed, not empty, not absurdly long. */
export function modelKeyArgument(command: string, typed: string): string {
  const key = typed.trim();
  if (key === "") throw new UsageError("a model key must not be empty", command);
  if (key.length > MAX_MODEL_KEY_LENGTH) {
    throw new UsageError(
      `a model key must be at most ${MAX_MODEL_KEY_LENGTH} characters; got ${key.length} ("${key.slice(0, 40)}…")`,
      command,
    );
  }
  return key;
}

/** `--host NAME`, which every command that has it checks the same way. */
export function hostOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = hostNameSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--host: ${parsed.error.issues[0]?.message ?? "bad name"}`);
  return parsed.data;
}

export function noPositionals(command: string, positionals: readonly string[]): void {
  if (positionals.length > 0) {
    throw new UsageError(`${command} takes no arguments, got "${positionals.join(" ")}"`, command);
  }
}
