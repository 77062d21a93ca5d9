import { buildMatrix } from "@lmstrix/core";
import { openDatabase, readMeasuredFleet } from "@lmstrix/db";
const db = await openDatabase({ dataDir: "/tmp/lmstrix-bench-web-mx-matrix" });
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const acc = { read: 0, build: 0, json: 0, speedsOnly: 0, modelsOnly: 0 };
const N = 20;
for (let i = 0; i < N + 3; i++) {
  let c = cpu();
  const fleet = await readMeasuredFleet(db.prisma, { kind: "at-limit" });
  const c1 = cpu();
  const m = buildMatrix(fleet);
  const c2 = cpu();
  JSON.stringify(JSON.stringify(m));
  const c3 = cpu();
  if (i >= 3) { acc.read += c1 - c; acc.build += c2 - c1; acc.json += c3 - c2; }
}
console.log(Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, (v / N).toFixed(1)])));
await db.close();
