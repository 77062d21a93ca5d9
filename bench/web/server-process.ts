import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** The server's processes: the tsx launcher, serve.ts and `next start`, with their RSS in MB. */
export function processTree(rootPid: number): { pid: number; rssMb: number; cmd: string }[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {}
  }
  const result: { pid: number; rssMb: number; cmd: string }[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").slice(0, 3).join(" ");
      result.push({ pid, rssMb: rss / 1024, cmd });
    } catch {}
    queue.push(...(children.get(pid) ?? []));
  }
  return result;
}

/** RSS of the process that serves the requests (`next start`), the largest of the tree. */
export function serverRssMb(rootPid: number): { server: number; total: number } {
  const tree = processTree(rootPid);
  return {
    server: Math.max(0, ...tree.filter((p) => p.cmd.includes("next")).map((p) => p.rssMb)),
    total: tree.reduce((sum, p) => sum + p.rssMb, 0),
  };
}

/** The built dashboard (`apps/web/scripts/serve.ts`, as `pnpm start` runs it) on `port`, over `dataDir`. */
export async function startServer(root: string, dataDir: string, port: number): Promise<ChildProcess> {
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(path.join(root, "node_modules/.bin/tsx"), ["apps/web/scripts/serve.ts"], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      LMSTRIX_LISTEN: "127.0.0.1",
      LMSTRIX_DATA_DIR: dataDir,
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  let exited = false;
  server.on("exit", () => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error("the server exited (is apps/web built?)");
    try {
      const response = await fetch(`${base}/api/health`);
      await response.arrayBuffer();
      if (response.status < 500) return server;
    } catch {}
    await sleep(250);
  }
  throw new Error("the server did not start within 60 s");
}

export function stopServer(server: ChildProcess) {
  if (server.pid) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {}
  }
}
