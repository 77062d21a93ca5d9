import { LmstrixError, RuntimeError } from "@lmstrix/core";
import { RegistryError } from "@lmstrix/core/registry";
import { SnapshotError } from "@lmstrix/db";
import { TRPCError } from "@trpc/server";
import { describe, expect, it, vi } from "vitest";
import type { Context } from "./context";

vi.mock("server-only", () => ({}));

const { toTrpcError } = await import("./errors");
const { createCallerFactory, createTRPCRouter, serviceProcedure } = await import("./trpc");

describe("the API's error mapping", () => {
  it("answers a domain error thrown by a procedure with its table's code, after the procedure's failure text", async () => {
    const router = createTRPCRouter({
      busy: serviceProcedure.meta({ failure: "Could not scan" }).mutation(() => {
        throw new LmstrixError("HOST_BUSY", "host gpu-box is busy with run #3");
      }),
      gone: serviceProcedure.query(() => {
        throw new LmstrixError("RUN_NOT_FOUND", "No run #9");
      }),
      broken: serviceProcedure.query(() => {
        throw new Error("disk on fire");
      }),
    });
    const caller = createCallerFactory(router)({ services: async () => ({}) } as unknown as Context);
    await expect(caller.busy()).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Could not scan: host gpu-box is busy with run #3",
    });
    await expect(caller.gone()).rejects.toMatchObject({ code: "NOT_FOUND", message: /No run #9$/ });
    await expect(caller.broken()).rejects.toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
  });

  it("keeps the codes the dashboard had for each refusal", () => {
    const running = new SnapshotError("RUN_IN_PROGRESS", "run #2 is running");
    expect(toTrpcError(running, "Could not restore")).toMatchObject({
      code: "CONFLICT",
      message: "Could not restore: run #2 is running",
    });
    expect(toTrpcError(new SnapshotError("NOT_FOUND", "no such"), "x").code).toBe("NOT_FOUND");
    expect(toTrpcError(new SnapshotError("INVALID_SNAPSHOT", "bad"), "x").code).toBe("BAD_REQUEST");
    const registry = new RegistryError([
      { path: "llms", key: null, field: null, problem: "must be an object" },
    ]);
    expect(toTrpcError(registry, "Could not import").code).toBe("BAD_REQUEST");
    expect(toTrpcError(new RuntimeError("TIMEOUT", "slow"), "Scan").code).toBe("GATEWAY_TIMEOUT");
    const already = new TRPCError({ code: "FORBIDDEN" });
    expect(toTrpcError(already, "x")).toBe(already);
  });
});
