export type { PrismaClient } from "@prisma/client";
export { type Database, openDatabase } from "./open-database";
export { databasePath, dataDir, repoRoot } from "./paths";
export { PrismaStore } from "./prisma-store";
