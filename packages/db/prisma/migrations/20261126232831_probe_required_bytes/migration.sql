-- AlterTable
ALTER TABLE "Probe" ADD COLUMN "requiredBytes" REAL;
