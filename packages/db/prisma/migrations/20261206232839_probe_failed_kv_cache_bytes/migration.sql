-- AlterTable
ALTER TABLE "Probe" ADD COLUMN "failedKvCacheBytes" REAL;
