import type { NextConfig } from "next";

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
  typedRoutes: false,
};

export default nextConfig;
