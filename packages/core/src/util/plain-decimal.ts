import { z } from "zod";

/**
 * A decimal number as people type it: "2", "0.5", ".5" (no sign, exponent, unit or thousands separator), read
 * as a number. One reading for every typed decimal, the CLI's flags and the dashboard's fields alike.
 */
export const plainDecimalSchema = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$|^\.\d+$/)
  .transform(Number);
