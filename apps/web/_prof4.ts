import { openDatabase } from "@lmstrix/db";
const db = await openDatabase({ dataDir: "/tmp/lmstrix-bench-web-mx-matrix" });
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const W = `COALESCE(p."contextApplied", p."contextRequested")`;
const MODELS = `SELECT json_group_array(json_array("id","hostId","modelKey","displayName","type","quantization","declaredContext","loadableLimit","effectiveLimit","testStatus","sizeBytes","modifiedAt","measuredLmStudioVersion","measuredSizeBytes","measuredModifiedAt")) AS rows FROM "Model" WHERE "isPresent" = 1`;
const SPEEDS = `SELECT json_group_array(json_array(m."id", k.kind, json((SELECT json_array(p."contextApplied", p."genTokensPerSec") FROM "Probe" p WHERE p."outcome" = 'pass' AND p."modelId" = m."id" AND p."kind" = k.kind AND p."contextApplied" <= COALESCE(m."effectiveLimit", m."loadableLimit") AND p."genTokensPerSec" IS NOT NULL ORDER BY p."contextApplied" DESC LIMIT 1)))) AS rows FROM "Model" m, (SELECT 'loadable' AS kind UNION ALL SELECT 'effective') k WHERE m."isPresent" = 1 AND COALESCE(m."effectiveLimit", m."loadableLimit") IS NOT NULL`;
const acc: Record<string, number> = { models: 0, speeds: 0, hosts: 0 };
for (let i = 0; i < 23; i++) {
  let c = cpu(); const [a] = await db.prisma.$queryRawUnsafe<{rows:string}[]>(MODELS); JSON.parse(a!.rows); const c1 = cpu();
  const [b] = await db.prisma.$queryRawUnsafe<{rows:string}[]>(SPEEDS); const parsed = JSON.parse(b!.rows); if (i === 0) console.log(parsed.length, parsed.slice(0, 3), parsed.filter((r: any) => r[2] !== null).length); const c2 = cpu();
  await db.prisma.host.findMany(); const c3 = cpu();
  if (i >= 3) { acc.models += c1 - c; acc.speeds += c2 - c1; acc.hosts += c3 - c2; }
}
console.log(JSON.stringify(Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, (v / 20).toFixed(1)]))));
await db.close();
