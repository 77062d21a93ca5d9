-- AlterTable
ALTER TABLE "Probe" ADD COLUMN "isTruncated" BOOLEAN;
ALTER TABLE "Probe" ADD COLUMN "promptTokensSent" INTEGER;
ALTER TABLE "Probe" ADD COLUMN "recall" REAL;
