-- AlterTable
ALTER TABLE "Host" ADD COLUMN "lmStudioVersion" TEXT;

-- AlterTable
ALTER TABLE "Model" ADD COLUMN "modifiedAt" DATETIME;
ALTER TABLE "Model" ADD COLUMN "measuredLmStudioVersion" TEXT;
ALTER TABLE "Model" ADD COLUMN "measuredSizeBytes" REAL;
ALTER TABLE "Model" ADD COLUMN "measuredModifiedAt" DATETIME;

-- AlterTable
ALTER TABLE "Probe" ADD COLUMN "lmStudioVersion" TEXT;
ALTER TABLE "Probe" ADD COLUMN "modelSizeBytes" REAL;
ALTER TABLE "Probe" ADD COLUMN "modelModifiedAt" DATETIME;
