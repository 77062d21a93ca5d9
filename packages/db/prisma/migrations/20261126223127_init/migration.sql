-- CreateTable
CREATE TABLE "Host" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "HostLease" (
    "hostId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "holder" TEXT NOT NULL,
    "runId" INTEGER,
    "heartbeatAt" DATETIME NOT NULL,
    CONSTRAINT "HostLease_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Model" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hostId" INTEGER NOT NULL,
    "modelKey" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "format" TEXT,
    "publisher" TEXT,
    "path" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "architecture" TEXT,
    "quantization" TEXT,
    "params" TEXT,
    "declaredContext" INTEGER NOT NULL,
    "vision" BOOLEAN NOT NULL DEFAULT false,
    "toolUse" BOOLEAN NOT NULL DEFAULT false,
    "isPresent" BOOLEAN NOT NULL DEFAULT true,
    "firstSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "testStatus" TEXT NOT NULL DEFAULT 'untested',
    "loadableLimit" INTEGER,
    "effectiveLimit" INTEGER,
    "lastGoodContext" INTEGER,
    "lastBadContext" INTEGER,
    "lastTestedAt" DATETIME,
    "errorCategory" TEXT,
    "errorMessage" TEXT,
    "extraJson" TEXT,
    CONSTRAINT "Model_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Run" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hostId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "mode" TEXT NOT NULL,
    "optionsJson" TEXT NOT NULL DEFAULT '{}',
    "startedBy" TEXT NOT NULL DEFAULT 'cli',
    "message" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Run_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Probe" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" INTEGER NOT NULL,
    "modelId" INTEGER NOT NULL,
    "contextRequested" INTEGER NOT NULL,
    "contextApplied" INTEGER,
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

-- CreateTable
CREATE TABLE "RunEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payloadJson" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RunEvent_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Snapshot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "file" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");

-- CreateIndex
CREATE INDEX "Model_testStatus_idx" ON "Model"("testStatus");

-- CreateIndex
CREATE UNIQUE INDEX "Model_hostId_modelKey_key" ON "Model"("hostId", "modelKey");

-- CreateIndex
CREATE INDEX "Run_hostId_status_idx" ON "Run"("hostId", "status");

-- CreateIndex
CREATE INDEX "Run_status_createdAt_idx" ON "Run"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Probe_modelId_startedAt_idx" ON "Probe"("modelId", "startedAt");

-- CreateIndex
CREATE INDEX "Probe_runId_id_idx" ON "Probe"("runId", "id");

-- CreateIndex
CREATE INDEX "RunEvent_runId_id_idx" ON "RunEvent"("runId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Snapshot_file_key" ON "Snapshot"("file");
