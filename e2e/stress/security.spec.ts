/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate bodies below run in the browser.
import { randomBytes } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FleetInput } from "@lmstrix/lmstudio-emulator";
import { expect, type Page, type Request, test } from "@playwright/test";
import {
  databaseBytes,
  removeDir,
  runCli,
  startRestartableEmulator,
  startWebServer,
  tempDir,
} from "../support/stack";
import { type HostRow, ok, type TrpcReply, trpcGet, trpcPost } from "../support/trpc";
import { localHost, startRun, waitForRunEnd, withStack } from "./support";

/**
 * Security proofs against the real built dashboard, the real SDK over WebSockets and real Chromium:
 * text from other machines (LM Studio's model list, a model's answer, a host URL, an imported file) is shown
 * as text and never runs; team mode's access token never reaches the server's output, the database or a page;
 * no name a caller gives makes the data directory's files reach outside it; another website's page cannot make
 * the user's browser drive the dashboard.
 */

/**
 * Each HTML payload records itself in `window.__pwned` (or opens a dialog) if a page ever runs it. The control
 * at the start of the first test proves that each one does run in this Chromium when it is parsed as HTML.
 */
const PAYLOAD = {
  img: `<img src=x onerror="window.__pwned=1">`,
  script: `<script>window.__pwned=2</script>`,
  svg: `"><svg onload=window.__pwned=3>`,
  jsUrl: "javascript:window.__pwned=4",
  alert: `<img src=x onerror=alert("pwned-5")>`,
  hostUrl: `ws://127.0.0.1:9/<img src=x onerror="window.__pwned=6">`,
  reply: `<img src=x onerror="window.__pwned=7">`,
  fileName: `<img src=x onerror="window.__pwned=8">.json`,
  importedKey: `<svg><animate onbegin="window.__pwned=9" attributeName=x dur=1s>`,
  /** Not HTML: what a spreadsheet would run when it opens the CSV export. */
  formula: `=HYPERLINK("http://evil.example","open")`,
} as const;

const llm = {
  type: "llm",
  format: "gguf",
  sizeBytes: 1_000_000_000,
  maxContextLength: 4096,
  kvBytesPerToken: 65_536,
} as const;

/** LM Studio reports whatever its model files are called: keys, names and metadata here are attacks. */
const injectionFleet: FleetInput = {
  memoryBytes: 16 * 1024 ** 3,
  models: [
    {
      ...llm,
      modelKey: PAYLOAD.img,
      displayName: PAYLOAD.script,
      architecture: PAYLOAD.svg,
      publisher: PAYLOAD.alert,
      paramsString: PAYLOAD.jsUrl,
      quantization: { name: PAYLOAD.script, bits: 4 },
      // The dashboard takes a model's publisher from its path's first folder.
      path: `${PAYLOAD.alert}/${PAYLOAD.img}/a.gguf`,
    },
    { ...llm, modelKey: PAYLOAD.svg, displayName: PAYLOAD.jsUrl, path: `evil/${PAYLOAD.svg}/b.gguf` },
    { ...llm, modelKey: PAYLOAD.jsUrl, displayName: PAYLOAD.alert, path: PAYLOAD.jsUrl },
    { ...llm, modelKey: PAYLOAD.formula, path: "evil/formula.gguf" },
  ],
};

/** Four ordinary models (e2e/fixtures/fleet.json), for the proofs that are not about model names. */
const smallFleet = JSON.parse(
  readFileSync(fileURLToPath(new URL("../fixtures/fleet.json", import.meta.url)), "utf8"),
) as FleetInput;

interface ModelRow {
  id: number;
  modelKey: string;
}
interface SnapshotRow {
  name: string;
}

/** Where a page shows a payload or link that is not inert: run on every page, after it shows its data. */
async function inertnessProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const pwned = (window as unknown as { __pwned?: unknown }).__pwned;
    if (pwned !== undefined) problems.push(`window.__pwned = ${String(pwned)}`);
    for (const element of document.querySelectorAll("*")) {
      for (const attribute of element.attributes) {
        // React never writes inline handlers, so any on* attribute came from data parsed as HTML.
        if (/^on/i.test(attribute.name)) problems.push(`<${element.localName} ${attribute.name}>`);
      }
    }
    for (const image of document.querySelectorAll("img")) {
      if (image.getAttribute("src") === "x") problems.push("an <img src=x> element");
    }
    for (const script of document.scripts) {
      if (script.textContent?.trim().startsWith("window.__pwned"))
        problems.push("a payload <script> element");
    }
    for (const svg of document.querySelectorAll("svg animate")) problems.push(`<${svg.localName}> in an svg`);
    for (const link of document.querySelectorAll<HTMLAnchorElement | HTMLAreaElement>(
      "a[href], area[href]",
    )) {
      const protocol = new URL(link.href, location.href).protocol;
      if (protocol !== "http:" && protocol !== "https:")
        problems.push(`a link to ${link.getAttribute("href")}`);
    }
    for (const form of document.querySelectorAll("form[action]")) {
      if (/^\s*javascript:/i.test(form.getAttribute("action") ?? ""))
        problems.push("a javascript: form action");
    }
    return problems;
  });
}

/** Records, from the moment each document starts, any write to `window.__pwned` (even on a page left since). */
async function trapPayloads(page: Page): Promise<{ ran: unknown[]; dialogs: string[] }> {
  const ran: unknown[] = [];
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.exposeBinding("__reportPwned", (_source, value: unknown) => {
    ran.push(value);
  });
  await page.addInitScript(() => {
    let value: unknown;
    Object.defineProperty(window, "__pwned", {
      configurable: true,
      get: () => value,
      set: (next: unknown) => {
        value = next;
        void (window as unknown as { __reportPwned(value: unknown): Promise<void> }).__reportPwned(next);
      },
    });
  });
  return { ran, dialogs };
}

test("text from LM Studio, a model's answer, a host URL and an imported file is shown as text and never runs", async ({
  page,
}) => {
  const stack = {
    name: "security-html",
    emulator: { fleet: injectionFleet, timeScale: 0 },
    // A run on a host that does not answer fails at once, so its message (holding the host URL) is on Runs.
    webEnv: { LMSTRIX_RECONNECT_TIMEOUT_MS: "0" },
  };
  await withStack(stack, async ({ web }) => {
    const trap = await trapPayloads(page);
    // Control: parsed as HTML, every payload runs here, so the trap below would see it.
    await page.goto(`${web.baseUrl}/api/health`);
    await page.setContent(
      `<p>${PAYLOAD.img}${PAYLOAD.script}<i ${PAYLOAD.svg}${PAYLOAD.alert}${PAYLOAD.importedKey}</animate></svg><a id="js" href="${PAYLOAD.jsUrl}">link</a></p>`,
    );
    expect(await inertnessProblems(page)).toEqual(
      expect.arrayContaining([
        "<img onerror>",
        "<svg onload>",
        "an <img src=x> element",
        "a link to javascript:window.__pwned=4",
      ]),
    );
    await page.locator("#js").click();
    await expect.poll(() => [...new Set(trap.ran)].sort()).toEqual([1, 2, 3, 4, 9]);
    expect(trap.dialogs).toEqual(["alert: pwned-5"]);
    trap.ran.length = 0;
    trap.dialogs.length = 0;

    const { baseUrl } = web;
    const localId = (await localHost(baseUrl)).id;
    ok(await trpcPost(baseUrl, "host.scan", { id: localId }), "host.scan");
    const models = ok(await trpcGet<ModelRow[]>(baseUrl, "model.list"), "model.list");
    const modelId = (key: string) => {
      const model = models.find((candidate) => candidate.modelKey === key);
      if (!model) throw new Error(`the scan did not record ${key}`);
      return model.id;
    };

    // A host name is a plain word: HTML is refused with the rule, on create and on rename.
    for (const [procedure, input] of [
      ["host.create", { name: PAYLOAD.img, url: "ws://127.0.0.1:9" }],
      ["host.update", { id: localId, name: PAYLOAD.script }],
    ] as const) {
      const refused = await trpcPost(baseUrl, procedure, input);
      expect(refused.status, procedure).toBe(400);
      expect(refused.error?.message, procedure).toContain(
        "host name may use letters, digits, '.', '_' and '-' only",
      );
    }
    // A URL is accepted as typed (it is a valid ws:// URL), so its text reaches Hosts, Runs and the Run page.
    const evilHost = ok(
      await trpcPost<HostRow>(baseUrl, "host.create", { name: "html-url", url: PAYLOAD.hostUrl }),
      "host.create",
    );

    // Playground: the model answers with HTML (the emulator recalls a fact stated in the prompt).
    await page.goto(`${baseUrl}/playground`);
    await page.getByLabel("Host").selectOption({ label: "local" });
    await expect
      .poll(() => page.getByLabel("Model").locator("option").allTextContents())
      .toEqual(expect.arrayContaining([PAYLOAD.img, PAYLOAD.svg, PAYLOAD.jsUrl]));
    await page.getByLabel("Model").selectOption(PAYLOAD.img);
    await page.getByLabel("Prompt").fill(`The reply is ${PAYLOAD.reply}. What is the reply?`);
    await page.getByLabel("Max tokens").fill("200");
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByTestId("playground-stats")).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId("playground-answer")).toHaveText(PAYLOAD.reply);
    await expect(page.getByRole("list", { name: "Status" })).toContainText(PAYLOAD.img);
    expect(await inertnessProblems(page), "/playground").toEqual([]);

    // A quick test of the three models (the one the playground loaded is unloaded first, by name).
    const testRun = await startRun(baseUrl, {
      hostId: localId,
      modelKeys: [PAYLOAD.img, PAYLOAD.svg, PAYLOAD.jsUrl],
      options: { fixedContext: 2048, cooldownMs: 0 },
    });
    expect((await waitForRunEnd(baseUrl, testRun)).status).toBe("completed");

    // An imported registry: its file name and its model key are both text from elsewhere.
    const registry = {
      llms: {
        [PAYLOAD.importedKey]: {
          id: PAYLOAD.importedKey,
          path: "evil/imported.gguf",
          size_bytes: 1000,
          ctx_in: 4096,
        },
      },
    };
    const imported = ok(
      await trpcPost<{ runId: number | null; created: string[] }>(baseUrl, "data.importRegistry", {
        hostId: localId,
        fileName: PAYLOAD.fileName,
        text: JSON.stringify(registry),
      }),
      "data.importRegistry",
    );
    expect(imported.created).toEqual([PAYLOAD.importedKey]);
    const importRun = imported.runId;
    if (importRun === null) throw new Error("the import recorded no run");

    const failedRun = await startRun(baseUrl, { hostId: evilHost.id, all: true });
    const failed = await waitForRunEnd(baseUrl, failedRun);
    expect(failed.status).toBe("failed");
    expect(failed.message).toContain(PAYLOAD.hostUrl);

    const importedId = ok(await trpcGet<ModelRow[]>(baseUrl, "model.list"), "model.list").find(
      (model) => model.modelKey === PAYLOAD.importedKey,
    )?.id;
    // Each page with the payloads it must show as text.
    const pages: [string, string[]][] = [
      [
        "/models",
        [PAYLOAD.img, PAYLOAD.script, PAYLOAD.svg, PAYLOAD.jsUrl, PAYLOAD.alert, PAYLOAD.importedKey],
      ],
      [
        `/models/${modelId(PAYLOAD.img)}`,
        [PAYLOAD.img, PAYLOAD.script, PAYLOAD.svg, PAYLOAD.alert, PAYLOAD.jsUrl],
      ],
      [`/models/${modelId(PAYLOAD.svg)}`, [PAYLOAD.svg, PAYLOAD.jsUrl]],
      [`/models/${modelId(PAYLOAD.jsUrl)}`, [PAYLOAD.jsUrl, PAYLOAD.alert]],
      [`/models/${importedId}`, [PAYLOAD.importedKey]],
      ["/runs", [PAYLOAD.hostUrl]],
      [`/runs/${testRun}`, [PAYLOAD.img, PAYLOAD.svg, PAYLOAD.jsUrl]],
      [`/runs/${importRun}`, [PAYLOAD.fileName]],
      [`/runs/${failedRun}`, [PAYLOAD.hostUrl]],
      ["/hosts", [PAYLOAD.hostUrl]],
      ["/health", []],
      ["/playground", []],
    ];
    for (const [pathname, shown] of pages) {
      await page.goto(`${baseUrl}${pathname}`);
      await expect(page.locator("h1")).toBeVisible();
      for (const text of shown) {
        await expect(page.getByText(text).first(), `${pathname} shows ${text} as text`).toBeVisible();
      }
      expect(await inertnessProblems(page), pathname).toEqual([]);
    }
    // Links to a model are built from its id, never from its key.
    await page.goto(`${baseUrl}/models`);
    for (const key of [PAYLOAD.img, PAYLOAD.svg, PAYLOAD.jsUrl]) {
      await expect(page.getByRole("link", { name: key, exact: true })).toHaveAttribute(
        "href",
        `/models/${modelId(key)}`,
      );
    }
    // The CSV export marks a cell that a spreadsheet would run as a formula, and downloads are attachments.
    const csv = await fetch(`${baseUrl}/api/export?format=csv`);
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="lmstrix-models.csv"');
    expect(await csv.text()).toContain(`,"'=HYPERLINK(""http://evil.example"",""open"")",`);

    expect(trap.ran, "payloads that ran").toEqual([]);
    expect(trap.dialogs, "dialogs that opened").toEqual([]);
  });
});

/** Every way the token could be written down without being the token's own characters. */
function tokenForms(token: string): string[] {
  const bytes = Buffer.from(token);
  return [
    token,
    encodeURIComponent(token),
    bytes.toString("base64"),
    bytes.toString("base64url"),
    bytes.toString("hex"),
    Buffer.from(token, "base64").toString("hex"),
  ];
}

function expectNoToken(text: string, token: string, where: string) {
  for (const form of tokenForms(token))
    expect(text.includes(form), `${where} holds the token as ${form}`).toBe(false);
}

/** Every file under `dir`, as bytes read as latin1 (so any byte sequence can be searched). */
function filesUnder(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { file, text: readFileSync(file).toString("latin1") };
    });
}

test("team mode: the access token is never printed, stored or served, and the session cookie does not reveal it", async ({
  page,
}) => {
  // Standard base64 so that its URL-encoded form differs from it ('+', '/').
  let token = randomBytes(24).toString("base64");
  while (encodeURIComponent(token) === token) token = randomBytes(24).toString("base64");
  expect(token).toHaveLength(32);
  const stack = {
    name: "security-token",
    emulator: { fleet: smallFleet, timeScale: 0 },
    webEnv: { LMSTRIX_LISTEN: "0.0.0.0", LMSTRIX_TOKEN: token, LMSTRIX_RECONNECT_TIMEOUT_MS: "0" },
  };
  await withStack(stack, async ({ dataDir, web }) => {
    const { baseUrl } = web;
    const bearer = { authorization: `Bearer ${token}` };
    // The sign-in page, before and after a wrong token: the token is not in its HTML, nor in the address.
    await page.goto(`${baseUrl}/models`);
    await page.getByLabel("Your name").fill("Ada");
    await page.getByLabel("Access token").fill(`${token}x`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "access token" })).toHaveText(
      "That is not this dashboard's access token.",
    );
    expectNoToken(page.url(), token, "the address after a wrong token");
    expectNoToken(await page.content(), token, "the sign-in page");
    const signInHtml = await (await fetch(page.url())).text();
    expectNoToken(signInHtml, token, "the sign-in page as served");
    const signInScripts = await page
      .locator("script[src]")
      .evaluateAll((nodes) => nodes.map((node) => (node as HTMLScriptElement).src));
    expect(signInScripts.length).toBeGreaterThan(0);
    for (const src of signInScripts) expectNoToken(await (await fetch(src)).text(), token, src);
    // A bad name with the right token comes back to the form: the redirect carries the name, not the token.
    const badName = await fetch(`${baseUrl}/api/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: baseUrl },
      body: new URLSearchParams({ name: "<b>Ada</b>", token, next: "/runs" }),
    });
    expect(badName.status).toBe(303);
    expect(badName.headers.get("location")).toContain("error=name");
    expectNoToken(badName.headers.get("location") ?? "", token, "the sign-in redirect");
    expect(badName.headers.get("set-cookie")).toBeNull();

    await page.getByLabel("Your name").fill("Ada");
    await page.getByLabel("Access token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Models", level: 1 })).toBeVisible();
    expectNoToken(page.url(), token, "the address after signing in");

    // The cookie is `<name in base64url>.<issued-at seconds>.<HMAC-SHA256>`: it names the user and proves the
    // token without holding it.
    const session = (await page.context().cookies(baseUrl)).find(
      (cookie) => cookie.name === "lmstrix_session",
    );
    if (!session) throw new Error("no session cookie after signing in");
    expectNoToken(session.value, token, "the session cookie");
    const [encodedName, issuedAt, signature, ...rest] = session.value.split(".");
    expect(rest).toEqual([]);
    expect(Buffer.from(encodedName ?? "", "base64url").toString()).toBe("Ada");
    expect(issuedAt).toMatch(/^\d+$/);
    const signatureBytes = Buffer.from(signature ?? "", "base64url");
    expect(signatureBytes).toHaveLength(32);
    expect(signatureBytes.includes(Buffer.from(token))).toBe(false);
    // The signature is bound to the name: Ada's signature under another name opens nothing.
    const forged = `${Buffer.from("Mallory").toString("base64url")}.${issuedAt}.${signature}`;
    const withCookie = (value: string) =>
      fetch(`${baseUrl}/api/health`, { headers: { cookie: `lmstrix_session=${value}` } });
    expect((await withCookie(session.value)).status).toBe(200);
    expect((await withCookie(forged)).status).toBe(401);

    // After signing in, `next` only ever leads to a page of this dashboard. A browser drops tabs and line
    // breaks from a URL and reads '\' as '/', so each of these would otherwise be a link to another site.
    for (const next of [
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\t\\evil.example",
      "/\n/evil.example",
      "https://evil.example",
      "javascript:alert(1)",
    ]) {
      const signIn = await fetch(`${baseUrl}/api/sign-in`, {
        method: "POST",
        redirect: "manual",
        headers: { origin: baseUrl },
        body: new URLSearchParams({ name: "Ada", token, next }),
      });
      expect(signIn.status).toBe(303);
      const location = signIn.headers.get("location") ?? "";
      expect(new URL(location, baseUrl).origin, JSON.stringify(next)).toBe(baseUrl);
    }

    // Pages a signed-in user sees, including error pages.
    for (const pathname of [
      "/models",
      "/runs",
      "/hosts",
      "/health",
      "/playground",
      "/models/999999",
      "/runs/abc",
    ]) {
      await page.goto(`${baseUrl}${pathname}`);
      expectNoToken(await page.content(), token, pathname);
    }

    // Scripts with the right token; the wrong ones; a foreign origin; failures of every kind.
    const hostId = (await localHost(baseUrl, bearer)).id;
    ok(await trpcPost(baseUrl, "host.scan", { id: hostId }, { headers: bearer }), "host.scan");
    const quick = await startRun(
      baseUrl,
      { hostId, modelKeys: ["qwen3-4b-instruct"], options: { fixedContext: 2048, cooldownMs: 0 } },
      bearer,
    );
    expect((await waitForRunEnd(baseUrl, quick, { headers: bearer })).status).toBe("completed");
    for (const wrong of [
      `${token}x`,
      token.slice(1),
      token.toLowerCase(),
      Buffer.from(token).toString("base64"),
    ]) {
      // The guard answers before tRPC does, in plain JSON.
      const refused = await fetch(`${baseUrl}/api/trpc/host.list`, {
        headers: { authorization: `Bearer ${wrong}` },
      });
      expect(refused.status).toBe(401);
      expectNoToken(await refused.text(), token, "a refusal");
    }
    const foreign = await fetch(`${baseUrl}/api/trpc/host.scan`, {
      method: "POST",
      headers: { ...bearer, origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ json: { id: hostId } }),
    });
    expect(foreign.status).toBe(403);
    const down = ok(
      await trpcPost<HostRow>(
        baseUrl,
        "host.create",
        { name: "down", url: "ws://127.0.0.1:9" },
        { headers: bearer },
      ),
      "host.create",
    );
    const failedRun = await startRun(baseUrl, { hostId: down.id, all: true }, bearer);
    expect((await waitForRunEnd(baseUrl, failedRun, { headers: bearer })).status).toBe("failed");
    const failures: TrpcReply<unknown>[] = [
      await trpcGet(baseUrl, "model.get", { id: 999_999 }, bearer),
      await trpcPost(baseUrl, "data.restoreSnapshot", { name: "../lmstrix.db" }, { headers: bearer }),
      await trpcPost(baseUrl, "host.scan", { id: down.id }, { headers: bearer }),
      await trpcPost(baseUrl, "run.start", { hostId, modelKeys: ["no-such-model"] }, { headers: bearer }),
      await trpcPost(baseUrl, "host.create", null, { headers: bearer, rawBody: "{not json" }),
    ];
    for (const failure of failures) {
      expect(failure.status).toBeGreaterThanOrEqual(400);
      expectNoToken(JSON.stringify(failure), token, "an error reply");
    }
    const exported = await fetch(`${baseUrl}/api/export?format=json`, { headers: bearer });
    expect(exported.status).toBe(200);
    expectNoToken(await exported.text(), token, "the history export");

    await web.stop();
    const output = web.output();
    // The output is real (the server said where its database is), and the token is nowhere in it.
    expect(output).toContain("LMStrix database:");
    expectNoToken(output, token, "the server's output");
    for (const { file, text } of filesUnder(dataDir)) expectNoToken(text, token, file);
  });
});

/** Names, sizes and modification times of everything under `dir`: equal listings mean nothing was written. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      const info = statSync(file, { throwIfNoEntry: false });
      const what = entry.isSymbolicLink()
        ? "link"
        : entry.isDirectory()
          ? "folder"
          : `${info?.size} ${info?.mtimeMs}`;
      return `${path.relative(dir, file)} ${what}`;
    })
    .sort();
}

test("no name a caller gives reaches outside the data directory: snapshots, imports, exports, the CLI", async () => {
  const root = tempDir("security-paths");
  const dataDir = path.join(root, "data");
  const outside = path.join(root, "outside");
  mkdirSync(outside);
  const emulator = await startRestartableEmulator({ fleet: smallFleet, timeScale: 0 });
  const web = await startWebServer({ dataDir, lmStudioUrl: emulator.url });
  const { baseUrl } = web;
  try {
    const hostId = (await localHost(baseUrl)).id;
    ok(await trpcPost(baseUrl, "host.scan", { id: hostId }), "host.scan");
    const snapshot = ok(
      await trpcPost<SnapshotRow>(baseUrl, "data.createSnapshot", {}),
      "data.createSnapshot",
    );
    const snapshotsFolder = path.join(dataDir, "snapshots");

    // Sound LMStrix databases wherever an escaping name would lead: a missing check would restore one of them.
    const snapshotFile = path.join(snapshotsFolder, snapshot.name);
    for (const target of [
      path.join(outside, "evil.db"),
      path.join(root, "x.db"),
      path.join(dataDir, "x.db"),
    ]) {
      copyFileSync(snapshotFile, target);
    }
    symlinkSync(path.join(outside, "evil.db"), path.join(snapshotsFolder, "evil-link.db"));
    symlinkSync(outside, path.join(snapshotsFolder, "linked-folder"));
    const outsideBefore = listing(outside);
    const bytesBefore = databaseBytes(dataDir);
    const snapshotNames = async () =>
      ok(await trpcGet<SnapshotRow[]>(baseUrl, "data.snapshots"), "data.snapshots").map((item) => item.name);
    const namesBefore = await snapshotNames();
    expect(namesBefore).toEqual([snapshot.name]);

    const escaping = [
      "../lmstrix.db",
      "../x.db",
      "../../x.db",
      "snap/../../x.db",
      "../../outside/evil.db",
      path.join(outside, "evil.db"),
      "../../etc/passwd",
      "/etc/passwd",
      "..%2F..%2Fetc%2Fpasswd",
      "..\\..\\x.db",
      "linked-folder/evil.db",
      `lmstrix\u0000.db`,
      `${"a".repeat(300)}.db`,
      "evil-link.db",
    ];
    for (const name of escaping) {
      const reply = await trpcPost(baseUrl, "data.restoreSnapshot", { name });
      const shown = JSON.stringify(name.slice(0, 40));
      expect([400, 404], `${shown}: ${reply.error?.message}`).toContain(reply.status);
      expect(reply.error?.message, shown).toMatch(
        name.length > 255
          ? /at most 255|<=255/
          : /^Could not restore the snapshot: (Invalid snapshot name|No snapshot named "evil-link\.db")/,
      );
    }
    expect(databaseBytes(dataDir), "the database after the refused restores").toBe(bytesBefore);
    // The symbolic link is not listed either (only regular files in the folder are snapshots).
    expect(await snapshotNames()).toEqual(namesBefore);
    expect(listing(outside)).toEqual(outsideBefore);
    removeDir(path.join(dataDir, "x.db"));

    // An import's file name is only a label: the text is what is imported, and no file is read or written.
    const fromText = {
      llms: {
        "text-model": { id: "text-model", path: "pub/text-model.gguf", size_bytes: 1000, ctx_in: 4096 },
      },
    };
    const decoy = {
      llms: { "decoy-model": { id: "decoy-model", path: "pub/decoy.gguf", size_bytes: 1000, ctx_in: 4096 } },
    };
    writeFileSync(path.join(outside, "lmstrix.json"), JSON.stringify(decoy));
    const outsideWithDecoy = listing(outside);
    const rootBefore = listing(root).filter((line) => !line.startsWith("data"));
    for (const fileName of [
      `${outside}/lmstrix.json`,
      "../outside/lmstrix.json",
      "../../etc/passwd",
      "/etc/passwd",
    ]) {
      const dry = ok(
        await trpcPost<{ created: string[] }>(baseUrl, "data.importRegistry", {
          hostId,
          fileName,
          text: JSON.stringify(fromText),
          dryRun: true,
        }),
        `a dry-run import named ${fileName}`,
      );
      expect(dry.created, fileName).toEqual(["text-model"]);
    }
    expect(databaseBytes(dataDir), "the database after dry runs").toBe(bytesBefore);
    const imported = ok(
      await trpcPost<{ created: string[]; runId: number | null }>(baseUrl, "data.importRegistry", {
        hostId,
        fileName: "../../etc/passwd",
        text: JSON.stringify(fromText),
      }),
      "the import",
    );
    expect(imported.created).toEqual(["text-model"]);
    const history = (await (await fetch(`${baseUrl}/api/export?format=json`)).json()) as {
      models: { modelKey: string }[];
      events: { runId: number; payload: { source?: string; message?: string } }[];
    };
    expect(history.models.map((model) => model.modelKey)).not.toContain("decoy-model");
    const importEvent = history.events.find(
      (event) => event.runId === imported.runId && event.payload.source !== undefined,
    );
    expect(importEvent?.payload.source, "the recorded source is the last segment only").toBe("passwd");

    // The export's query names a format and a host, never a file.
    for (const query of [
      "format=../../etc/passwd",
      "hostId=../../etc/passwd",
      "format=/etc/passwd",
      "hostId=1/../2",
    ]) {
      const refused = await fetch(`${baseUrl}/api/export?${query}`);
      expect(refused.status, query).toBe(400);
      const body = (await refused.json()) as { error: string };
      expect(body.error, query).toMatch(/^(format|hostId): /);
    }
    const ignored = await fetch(
      `${baseUrl}/api/export?format=csv&file=/etc/passwd&path=../../etc/passwd&out=${encodeURIComponent(`${outside}/x.csv`)}`,
    );
    expect(ignored.status).toBe(200);
    expect(ignored.headers.get("content-disposition")).toBe('attachment; filename="lmstrix-models.csv"');
    expect(await ignored.text()).not.toContain("root:");
    expect(listing(outside)).toEqual(outsideWithDecoy);

    // The CLI refuses the same names; `export --out` writes exactly where the user said, and takes no snapshot.
    const cliEnv = { LMSTRIX_DATA_DIR: dataDir, LMSTUDIO_URL: emulator.url, INIT_CWD: outside };
    const bytesBeforeCli = databaseBytes(dataDir);
    for (const name of [
      "../x.db",
      "../lmstrix.db",
      path.join(outside, "evil.db"),
      "evil-link.db",
      "linked-folder/evil.db",
    ]) {
      const result = await runCli(["snapshot", "restore", name, "--yes"], cliEnv);
      expect(result.code, `${name}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(
        name.includes("/") ? `invalid snapshot name "${name}"` : `no snapshot named "${name}"`,
      );
    }
    expect(databaseBytes(dataDir), "the database after the CLI's refusals").toBe(bytesBeforeCli);
    const snapshotsBeforeExport = listing(snapshotsFolder);
    const exported = await runCli(["export", "--out", "exported.json"], cliEnv);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(outside, "exported.json"), "utf8")).llms).toHaveProperty(
      "text-model",
    );
    expect(listing(snapshotsFolder)).toEqual(snapshotsBeforeExport);

    // Outside the data directory: only what this test put there, plus the export the user asked for.
    expect(listing(outside).filter((line) => !line.startsWith("exported.json"))).toEqual(outsideWithDecoy);
    expect(
      listing(root).filter((line) => !line.startsWith("data") && !line.startsWith("outside/exported.json")),
    ).toEqual(rootBefore);
    // Inside it: the database files and the snapshots folder, nothing else (no temporary restore folder left).
    expect(readdirSync(dataDir).sort()).toEqual(expect.arrayContaining(["lmstrix.db", "snapshots"]));
    for (const entry of readdirSync(dataDir))
      expect(["lmstrix.db", "lmstrix.db-wal", "lmstrix.db-shm", "snapshots"]).toContain(entry);
    for (const entry of readdirSync(snapshotsFolder)) {
      expect(entry, "a snapshot file name").toMatch(
        /^(lmstrix-[\dTZ-]+-(manual|before-import|before-restore)\.db|evil-link\.db|linked-folder)$/,
      );
    }

    // The real snapshot still restores: the refusals above came from the names, not from a broken restore.
    const restored = ok(
      await trpcPost<{ restored: string }>(baseUrl, "data.restoreSnapshot", { name: snapshot.name }),
      "restoring the real snapshot",
    );
    expect(restored.restored).toBe(snapshot.name);
    expect(databaseBytes(dataDir)).not.toBe(bytesBeforeCli);
    expect(existsSync(path.join(root, "x.db"))).toBe(true);
  } finally {
    await web.stop();
    await emulator.stop();
    removeDir(root);
  }
});

/** A page on another site (localhost is another site than 127.0.0.1) that the test's browser visits. */
async function serveOtherSite(html: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://localhost:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test("another website the user visits cannot drive the dashboard, not even through a GET", async ({
  page,
}) => {
  const stack = { name: "security-cross-site", emulator: { fleet: smallFleet, timeScale: 0 } };
  await withStack(stack, async ({ emulator, web }) => {
    const { baseUrl } = web;
    const hostId = (await localHost(baseUrl)).id;
    ok(await trpcPost(baseUrl, "host.scan", { id: hostId }), "host.scan");
    // The playground's answer is a subscription: an event stream over GET that loads a model and predicts.
    const input = {
      hostId,
      modelKey: "qwen3-4b-instruct",
      contextLength: 2048,
      prompt: "2+3=",
      maxTokens: 8,
    };
    const respond = `${baseUrl}/api/trpc/playground.respond?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    const scan = `${baseUrl}/api/trpc/host.scan`;
    const attacker = await serveOtherSite(`<!doctype html><title>elsewhere</title>
      <img src="${respond}&via=img">
      <script>
        new EventSource(${JSON.stringify(`${respond}&via=eventsource`)});
        fetch(${JSON.stringify(`${respond}&via=fetch`)}, { mode: "no-cors" });
        fetch(${JSON.stringify(scan)}, { method: "POST", mode: "no-cors", body: ${JSON.stringify(JSON.stringify({ json: { id: hostId } }))} });
      </script>`);
    // The browser hides most answers from the other site (ORB, CORS), so the proof is what reached LM Studio;
    // the fetches' statuses are visible and say who refused.
    const via = (url: string, method: string) => new URL(url).searchParams.get("via") ?? method;
    const settled = new Set<string>();
    const statuses = new Map<string, number>();
    const isDashboard = (url: string) => url.startsWith(`${baseUrl}/api/`);
    page.on("response", (response) => {
      if (isDashboard(response.url()))
        statuses.set(via(response.url(), response.request().method()), response.status());
    });
    const settle = (request: Request) => {
      if (isDashboard(request.url())) settled.add(via(request.url(), request.method()));
    };
    page.on("requestfinished", settle);
    page.on("requestfailed", settle);
    emulator.current?.resetCounters();
    try {
      await page.goto(attacker.url);
      await expect
        .poll(() => [...settled].sort(), { timeout: 60_000 })
        .toEqual(["POST", "eventsource", "fetch", "img"]);
    } finally {
      await attacker.close();
    }
    expect(statuses.get("fetch"), "the cross-site GET").toBe(403);
    expect(statuses.get("POST"), "the cross-site POST").toBe(403);

    // The dashboard's own page streams an answer (same origin): that load is the only one LM Studio saw.
    await page.goto(`${baseUrl}/playground`);
    await page.getByLabel("Host").selectOption({ label: "local" });
    await page.getByLabel("Model").selectOption("qwen3-4b-instruct");
    await page.getByLabel("Prompt").fill("2+3=");
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByTestId("playground-answer")).toHaveText("5");
    expect(emulator.current?.state.counters.loadsStarted, "loads, the other site's included").toBe(1);
    expect(emulator.current?.state.counters.predictions, "predictions, the other site's included").toBe(1);
  });
});
