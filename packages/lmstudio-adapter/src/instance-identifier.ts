import { randomUUID } from "node:crypto";

/**
 * A fresh identifier for each load. LM Studio otherwise names instances after the model key (`key`,
 * `key:2`, …), which would make "did *this* load leave something behind?" unanswerable after a cancel or
 * timeout. `:` follows LM Studio's own suffix style; `@` is avoided (it selects a quantization in keys).
 */
export function newInstanceIdentifier(modelKey: string): string {
  return `${modelKey}:lmstrix-${randomUUID().slice(0, 8)}`;
}
