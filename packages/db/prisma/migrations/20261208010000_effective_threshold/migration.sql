-- AlterTable
ALTER TABLE "Model" ADD COLUMN "effectiveThreshold" REAL;

-- Backfill from what the runs said: every `model.finished` event, with its model and its run's threshold.
-- An effective search reports `effectiveLimit` (a number, or null for none found); other runs leave it out.
CREATE TEMP TABLE "_finished" AS
  SELECT r."hostId" AS "hostId",
         json_extract(e."payloadJson", '$.modelKey') AS "modelKey",
         e."id" AS "eventId",
         json_type(e."payloadJson", '$.effectiveLimit') AS "limitType",
         COALESCE(json_extract(e."payloadJson", '$.effectiveReason'), '') AS "reason",
         json_extract(r."optionsJson", '$.recallThreshold') AS "threshold"
    FROM "RunEvent" e JOIN "Run" r ON r."id" = e."runId"
   WHERE e."type" = 'model.finished';
CREATE INDEX "_finished_model" ON "_finished" ("hostId", "modelKey", "eventId");

UPDATE "Model" SET "effectiveThreshold" = CASE
  -- A stored limit: the threshold of the last search that reported one (a search cancelled before its end
  -- reported nothing); without events, that of the model's last run with filled checks.
  WHEN "effectiveLimit" IS NOT NULL THEN COALESCE(
    (SELECT f."threshold" FROM "_finished" f
      WHERE f."hostId" = "Model"."hostId" AND f."modelKey" = "Model"."modelKey" AND f."limitType" IN ('integer', 'real')
      ORDER BY f."eventId" DESC LIMIT 1),
    (SELECT json_extract(r."optionsJson", '$.recallThreshold') FROM "Run" r
      WHERE r."id" = (SELECT MAX(p."runId") FROM "Probe" p WHERE p."modelId" = "Model"."id" AND p."kind" = 'effective')))
  -- None found: the model's last result is an effective search that ended without a limit because no check
  -- recalled enough (not one whose filled check failed to run, nor one with nothing to fill). A later result
  -- of any kind leaves it unknown: results may have been cleared in between.
  WHEN "loadableLimit" IS NOT NULL AND "testStatus" = 'completed' THEN
    (SELECT CASE WHEN f."limitType" = 'null' AND f."reason" NOT LIKE 'filled check failed%'
                      AND f."reason" NOT LIKE 'no loadable limit%' THEN f."threshold" END
       FROM "_finished" f
      WHERE f."hostId" = "Model"."hostId" AND f."modelKey" = "Model"."modelKey"
      ORDER BY f."eventId" DESC LIMIT 1)
END;

DROP TABLE "_finished";
