import type { NextConfig } from "next";
import { MAX_BODY_BYTES } from "./src/lib/body-limit";

const nextConfig: NextConfig = {
  // Workspace packages ship TypeScript source; Next compiles them.
  transpilePackages: ["@lmstrix/core", "@lmstrix/db", "@lmstrix/lmstudio-adapter"],
  // Loaded from node_modules at run time, never bundled: Prisma's generated client finds its wasm query
  // compiler next to itself, and libsql is a native module.
  serverExternalPackages: [
    "@prisma/client",
    "@prisma/adapter-libsql",
    "@libsql/client",
    "libsql",
    "@lmstudio/sdk",
  ],
  poweredByHeader: false,
  experimental: {
    // Requests pass the proxy (src/proxy.ts), which keeps only this much of a body and silently cuts the rest
    // (default 10 MB): a registry upload must arrive whole. Larger requests are refused by the proxy (413).
    proxyClientMaxBodySize: MAX_BODY_BYTES,
  },
  typedRoutes: false,
};

export default nextConfig;
