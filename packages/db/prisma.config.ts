// Prisma CLI configuration: the JS/wasm engines only, so `prisma generate` and `prisma migrate …` work without
// downloading native engines (see README, "Changing the schema").
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { readDbEnv } from "./src/env";
import { ConfiguredLibSQL } from "./src/libsql-adapter";
import { databasePath, databaseUrl, dataDir } from "./src/paths";

// The CLI insists that these point at existing files even though the JS engine never runs them.
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= "/bin/false";
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/false";

/**
 * The shadow database that `migrate dev` replays every migration into to detect drift. The schema engine sends
 * each migration as one `execute` of the whole script, which libSQL runs only up to the first statement, so
 * scripts go through `executeMultiple` here. And it is a throwaway file, not the adapter's `:memory:`: libSQL
 * opens a new connection (a new, empty in-memory database) after each transaction.
 */
class ShadowLibSQL extends ConfiguredLibSQL {
  override createClient(config: Parameters<ConfiguredLibSQL["createClient"]>[0]) {
    const client = super.createClient(config);
    return new Proxy(client, {
      get(target, property) {
        if (property !== "execute") return Reflect.get(target, property);
        return (statement: Parameters<typeof client.execute>[0]) => {
          const isScript = typeof statement === "object" && "sql" in statement && !statement.args?.length;
          if (isScript && statement.sql.trim().replace(/;\s*$/, "").includes(";")) {
            return target
              .executeMultiple(statement.sql)
              .then(() => ({ columns: [], columnTypes: [], rows: [], rowsAffected: 0 }));
          }
          return target.execute(statement);
        };
      },
    });
  }
}

class LibSQLWithFileShadow extends ConfiguredLibSQL {
  override connectToShadowDb() {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "lmstrix-shadow-")), "shadow.db");
    return new ShadowLibSQL({ url: `file:${file}` }).connect();
  }
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  engine: "js",
  experimental: { adapter: true },
  adapter: async () =>
    new LibSQLWithFileShadow({ url: databaseUrl(databasePath(dataDir(readDbEnv().LMSTRIX_DATA_DIR))) }),
});
