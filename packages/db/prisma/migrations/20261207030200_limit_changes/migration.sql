-- CreateTable
CREATE TABLE "LimitChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hostId" INTEGER NOT NULL,
    "modelId" INTEGER NOT NULL,
    "runId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "fromLimit" INTEGER NOT NULL,
    "toLimit" INTEGER NOT NULL,
    "direction" TEXT NOT NULL,
    "causesJson" TEXT NOT NULL DEFAULT '[]',
    "description" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LimitChange_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LimitChange_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LimitChange_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "LimitChange_createdAt_idx" ON "LimitChange"("createdAt");

-- CreateIndex
CREATE INDEX "LimitChange_hostId_createdAt_idx" ON "LimitChange"("hostId", "createdAt");
