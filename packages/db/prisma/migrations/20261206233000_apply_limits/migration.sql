-- AlterTable
ALTER TABLE "Host" ADD COLUMN "lmstudioHome" TEXT;

-- AlterTable
ALTER TABLE "Run" ADD COLUMN "lmStudioVersion" TEXT;
