// `pnpm start` (after the build): the dashboard, configured from the environment.
import { startDashboard } from "./start-dashboard";

const server = startDashboard(process.env);
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
