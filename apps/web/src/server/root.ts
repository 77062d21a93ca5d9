import "server-only";
import { dataRouter } from "./routers/data";
import { healthRouter } from "./routers/health";
import { hostRouter } from "./routers/host";
import { modelRouter } from "./routers/model";
import { notificationRouter } from "./routers/notification";
import { playgroundRouter } from "./routers/playground";
import { runRouter } from "./routers/run";
import { scheduleRouter } from "./routers/schedule";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  data: dataRouter,
  health: healthRouter,
  host: hostRouter,
  model: modelRouter,
  notification: notificationRouter,
  playground: playgroundRouter,
  run: runRouter,
  schedule: scheduleRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
