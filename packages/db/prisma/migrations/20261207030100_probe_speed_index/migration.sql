-- The matrix and the finder read each model's passing probes' speeds by window size: this index holds every
-- column they read, so SQLite scans it instead of the probe rows (their prompts and replies make up most of the
-- file). Without it the read of 200,000 probes took most of the matrix's 300 ms.
CREATE INDEX "Probe_speed_idx" ON "Probe"("outcome", "modelId", "kind", "contextApplied", "contextRequested", "genTokensPerSec");
