import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { RawSocket } from "../test/support/raw-socket.js";
import { testFleet } from "../test/support/test-fleet.js";
import { type Emulator, NAMESPACES, startEmulator } from "./server.js";

let emulator: Emulator;
const sockets: RawSocket[] = [];

beforeEach(async () => {
  emulator = await startEmulator({ fleet: testFleet, timeScale: 0 });
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await emulator.close();
});

async function connect(namespace: string, clientIdentifier?: string): Promise<RawSocket> {
  const socket = await RawSocket.authenticated(emulator.url, namespace, clientIdentifier);
  sockets.push(socket);
  return socket;
}

const emptyStack = { layers: [] };

describe("HTTP and handshake", () => {
  test("GET /lmstudio-greeting answers {lmstudio: true}", async () => {
    const response = await fetch(`${emulator.httpUrl}/lmstudio-greeting`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ lmstudio: true });
    expect((await fetch(`${emulator.httpUrl}/nope`)).status).toBe(404);
  });

  test("every namespace path accepts an authenticated socket", async () => {
    for (const namespace of NAMESPACES) await connect(namespace);
  });

  test("an unknown path is refused", async () => {
    await expect(RawSocket.open(`${emulator.url}/bogus`)).rejects.toThrow();
  });

  test("a bad first frame fails authentication", async () => {
    const socket = await RawSocket.open(`${emulator.url}/llm`);
    sockets.push(socket);
    socket.send({ authVersion: 2, clientIdentifier: "x", clientPasskey: "y" });
    const reply = await socket.next(() => true);
    expect(reply).toMatchObject({ success: false });
    expect(String(reply.error)).toContain("authenticating");
  });

  test("a second socket with the same identifier must bring the same passkey", async () => {
    await connect("llm", "shared-id");
    const impostor = await RawSocket.open(`${emulator.url}/system`);
    sockets.push(impostor);
    impostor.send({ authVersion: 1, clientIdentifier: "shared-id", clientPasskey: "other" });
    expect(await impostor.next(() => true)).toEqual({
      success: false,
      error: 'Failed to validate client: Invalid client passkey for client "shared-id"',
    });
  });

  test("keepAlive is answered with keepAliveAck", async () => {
    const socket = await connect("system");
    socket.send({ type: "keepAlive" });
    expect(await socket.next(() => true)).toEqual({ type: "keepAliveAck" });
  });
});

describe("unknown or malformed requests are answered, never ignored", () => {
  test("an unknown rpc endpoint gets an rpcError naming it", async () => {
    const socket = await connect("llm");
    socket.send({ type: "rpcCall", endpoint: "frobnicate", callId: 7 });
    const reply = await socket.next((frame) => frame.type === "rpcError");
    expect(reply.callId).toBe(7);
    expect((reply.error as { title: string }).title).toContain('"frobnicate"');
  });

  test("an unknown channel endpoint gets a channelError naming it", async () => {
    const socket = await connect("system");
    socket.send({ type: "channelCreate", endpoint: "teleport", channelId: 3, creationParameter: {} });
    const reply = await socket.next((frame) => frame.type === "channelError");
    expect(reply.channelId).toBe(3);
    expect((reply.error as { title: string }).title).toContain('"teleport"');
  });

  test("an endpoint of another namespace is unknown on this socket", async () => {
    const socket = await connect("system");
    socket.send({ type: "rpcCall", endpoint: "listLoaded", callId: 1 });
    const reply = await socket.next((frame) => frame.type === "rpcError");
    expect((reply.error as { title: string }).title).toContain('"listLoaded" on the /system socket');
  });

  test("an invalid parameter is an rpcError and a communication warning", async () => {
    const socket = await connect("llm");
    socket.send({ type: "rpcCall", endpoint: "unloadModel", callId: 2, parameter: { identifier: 5 } });
    const reply = await socket.next((frame) => frame.type === "rpcError");
    expect(reply.error).toMatchObject({ title: 'Invalid parameter for RPC endpoint "unloadModel"' });
    expect((reply.error as { cause: string }).cause).toContain("identifier");
    await socket.next((frame) => frame.type === "communicationWarning");
  });

  test("a malformed frame that names its callId still gets an rpcError", async () => {
    const socket = await connect("llm");
    socket.send({ type: "rpcCall", callId: 9 });
    expect(await socket.next((frame) => frame.type === "rpcError")).toMatchObject({ callId: 9 });
  });

  test("a signal subscription is refused with signalError", async () => {
    const socket = await connect("llm");
    socket.send({ type: "signalSubscribe", endpoint: "anything", subscribeId: 0, creationParameter: {} });
    expect(await socket.next((frame) => frame.type === "signalError")).toMatchObject({ subscribeId: 0 });
  });
});

describe("channels over the raw protocol", () => {
  test("loadModel sends resolved, progress…, success, then channelClose", async () => {
    const socket = await connect("llm");
    socket.send({
      type: "channelCreate",
      endpoint: "loadModel",
      channelId: 0,
      creationParameter: {
        modelKey: "test-small",
        loadConfigStack: {
          layers: [
            {
              layerName: "apiOverride",
              config: { fields: [{ key: "llm.load.contextLength", value: 2048 }] },
            },
          ],
        },
      },
    });
    await socket.next((frame) => frame.type === "channelClose");
    const messages = socket.frames.map((frame) => (frame.message as { type: string }).type);
    expect(messages[0]).toBe("resolved");
    expect(messages.at(-1)).toBe("success");
    expect(messages.filter((type) => type === "progress").length).toBeGreaterThan(1);
    const success = socket.frames.at(-1)?.message as { info: { contextLength: number; identifier: string } };
    expect(success.info).toMatchObject({ contextLength: 2048, identifier: "test-small" });
  });

  test("completeRawText (SDK 2.0) streams fragments and ends with success", async () => {
    const socket = await connect("llm");
    socket.send({
      type: "channelCreate",
      endpoint: "loadModel",
      channelId: 0,
      creationParameter: { modelKey: "test-small", loadConfigStack: emptyStack },
    });
    await socket.next((frame) => frame.type === "channelClose");
    socket.frames.length = 0;
    socket.send({
      type: "channelCreate",
      endpoint: "completeRawText",
      channelId: 1,
      creationParameter: {
        modelSpecifier: { type: "query", query: { identifier: "test-small" } },
        rawPrompt: "2+3=",
        predictionConfigStack: emptyStack,
      },
    });
    await socket.next((frame) => frame.type === "channelClose");
    const packets = socket.frames.map(
      (frame) => frame.message as { type: string; fragment?: { content: string } },
    );
    expect(packets[0]?.type).toBe("promptProcessingProgress");
    const text = packets
      .flatMap((packet) => (packet.type === "fragment" ? [packet.fragment?.content] : []))
      .join("");
    expect(text).toBe("5");
    expect(packets.at(-1)).toMatchObject({
      type: "success",
      stats: { stopReason: "eosFound", promptTokensCount: 4 },
    });
  });

  test("a query that matches nothing is 'No model found that fits the query'", async () => {
    const socket = await connect("llm");
    socket.send({
      type: "rpcCall",
      endpoint: "getModelInfo",
      callId: 4,
      parameter: { specifier: { type: "query", query: { identifier: "ghost" } }, throwIfNotFound: true },
    });
    const reply = await socket.next((frame) => frame.type === "rpcError");
    expect(reply.error).toMatchObject({
      title: "No model found that fits the query",
      displayData: {
        code: "generic.noModelMatchingQuery",
        query: { identifier: "ghost" },
        totalLoadedModels: 0,
      },
    });
  });
});
