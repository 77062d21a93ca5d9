// `pnpm db:migrate --name <what-changed>`: Prisma's `migrate dev` against the development database.
// `migrate dev` refuses a database that does not exist yet (and its folder may be missing on a fresh clone), so
// the database is first opened the way the app opens it: created and brought up to the committed migrations.
import { spawnSync } from "node:child_process";
import { openDatabase } from "../src/open-database";

const database = await openDatabase();
await database.close();

const result = spawnSync("prisma", ["migrate", "dev", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(result.status ?? 1);
