-- AlterTable
ALTER TABLE "Probe" ADD COLUMN "expectedAnswer" TEXT;
