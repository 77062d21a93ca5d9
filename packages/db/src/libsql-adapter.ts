import { createClient } from "@libsql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { withConnectionPragmas } from "./connection-pragmas";

type AdapterClient = ReturnType<PrismaLibSQL["createClient"]>;

/**
 * Prisma's libSQL adapter on this package's own `@libsql/client` (the adapter pins an old one whose
 * `executeMultiple` runs only the first statement of a script, which breaks `prisma migrate dev`), with every
 * connection configured (busy timeout, foreign keys).
 */
export class ConfiguredLibSQL extends PrismaLibSQL {
  override createClient(config: Parameters<PrismaLibSQL["createClient"]>[0]): AdapterClient {
    // The two client versions share this interface; the adapter only calls methods both have.
    return withConnectionPragmas(createClient(config)) as unknown as AdapterClient;
  }
}
