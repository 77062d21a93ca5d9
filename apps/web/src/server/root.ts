import "server-only";
import { changesRouter } from "./routers/changes";
import { dataRouter } from "./routers/data";
import { healthRouter } from "./routers/health";
import { hostRouter } from "./routers/host";
import { matrixRouter } from "./routers/matrix";
import { modelRouter } from "./routers/model";
import { notificationRouter } from "./routers/notification";
import { playgroundRouter } from "./routers/playground";
import { runRouter } from "./routers/run";
import { scheduleRouter } from "./routers/schedule";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  changes: changesRouter,
  data: dataRouter,
  health: healthRouter,
  host: hostRouter,
  matrix: matrixRouter,
  model: modelRouter,
  notification: notificationRouter,
  playground: playgroundRouter,
  run: runRouter,
  schedule: scheduleRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
