-- AlterTable
ALTER TABLE "Model" ADD COLUMN "effectiveThreshold" REAL;

-- An effective limit stored before the column was read at the threshold of its model's last run with filled
-- checks. (A search that found none before the column reads as not measured: nothing stored tells it apart.)
UPDATE "Model" SET "effectiveThreshold" = (
  SELECT json_extract(r."optionsJson", '$.recallThreshold') FROM "Run" r
   WHERE r."id" = (SELECT MAX(p."runId") FROM "Probe" p WHERE p."modelId" = "Model"."id" AND p."kind" = 'effective')
) WHERE "effectiveLimit" IS NOT NULL;
