-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Probe" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" INTEGER NOT NULL,
    "modelId" INTEGER NOT NULL,
    "contextRequested" INTEGER NOT NULL,
    "contextApplied" INTEGER,
    "previousBadContext" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "kind" TEXT NOT NULL DEFAULT 'loadable',
    "outcome" TEXT,
    "errorCategory" TEXT,
    "errorMessage" TEXT,
    "prompt" TEXT,
    "reply" TEXT,
    "loadMs" INTEGER,
    "timeToFirstTokenMs" INTEGER,
    "promptTokens" INTEGER,
    "promptTokensPerSec" REAL,
    "genTokensPerSec" REAL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "Probe_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Probe_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Probe" ("contextApplied", "contextRequested", "errorCategory", "errorMessage", "finishedAt", "genTokensPerSec", "id", "kind", "loadMs", "modelId", "outcome", "prompt", "promptTokens", "promptTokensPerSec", "reply", "runId", "startedAt", "timeToFirstTokenMs") SELECT "contextApplied", "contextRequested", "errorCategory", "errorMessage", "finishedAt", "genTokensPerSec", "id", "kind", "loadMs", "modelId", "outcome", "prompt", "promptTokens", "promptTokensPerSec", "reply", "runId", "startedAt", "timeToFirstTokenMs" FROM "Probe";
DROP TABLE "Probe";
ALTER TABLE "new_Probe" RENAME TO "Probe";
CREATE INDEX "Probe_modelId_startedAt_idx" ON "Probe"("modelId", "startedAt");
CREATE INDEX "Probe_runId_id_idx" ON "Probe"("runId", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
