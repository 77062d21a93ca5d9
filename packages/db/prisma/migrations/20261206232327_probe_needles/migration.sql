-- AlterTable
ALTER TABLE "Probe" ADD COLUMN "needlesJson" TEXT;
