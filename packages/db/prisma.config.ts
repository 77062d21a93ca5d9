// Prisma CLI configuration: the JS/wasm engines only, so `prisma generate` and `prisma migrate …` work without
// downloading native engines (see README, "Changing the schema").
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { defineConfig } from "prisma/config";
import { databaseUrl } from "./src/paths";

// The CLI insists that these point at existing files even though the JS engine never runs them.
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= "/bin/false";
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/false";

export default defineConfig({
  schema: "prisma/schema.prisma",
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => new PrismaLibSQL({ url: databaseUrl() }),
});
