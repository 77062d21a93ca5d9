/**
 * Malformed input for every surface LMStrix reads from: the tRPC API and the export route of the built
 * dashboard, the CLI's arguments, the environment of the web server and the CLI, the emulator's fleet files and
 * registry files to import. Each entry says what is sent and what the refusal must say; bad-input.spec.ts sends
 * them all against one real data directory and checks that its database stays byte for byte the same.
 *
 * The data directory's default host "local" has id 1 (the first row of a fresh database; the spec checks it),
 * and it was scanned from e2e/fixtures/fleet.json, so "qwen3-4b-instruct" is a model it knows.
 */

export const LOCAL_HOST_ID = 1;
export const KNOWN_MODEL = "qwen3-4b-instruct";
export const UNKNOWN_ID = 999_999;
const MEGABYTE = 1024 * 1024;
const oneMegabyteOf = (char: string) => char.repeat(MEGABYTE);
/** A run start that is valid except for what `options` / `extra` change. */
const startRun = (options: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  hostId: LOCAL_HOST_ID,
  modelKeys: [KNOWN_MODEL],
  options,
  ...extra,
});

/**
 * A tRPC call: `query` is a GET, `mutation` a POST, as the dashboard's client sends them; `subscription` is a
 * GET event stream, whose refusal comes as a `serialized-error` event carrying the status (the stream itself
 * has begun with 200, as tRPC's server-sent events always do).
 */
export interface ApiEntry {
  description: string;
  procedure: string;
  call: "query" | "mutation" | "subscription";
  /** Sent in the superjson envelope `{ json: input }`. */
  input?: unknown;
  /** Sent as the request body instead of the envelope (malformed JSON, superjson-encoded NaN…). */
  rawBody?: string;
  status: number;
  /** Every pattern must be found in the error message. */
  says: RegExp[];
}

/** A plain HTTP request whose refusal is JSON `{ error }`: the export route, or a body too big to read. */
export interface HttpEntry {
  description: string;
  method: "GET" | "POST";
  path: string;
  /** A body of this many megabytes of JSON-ish text. */
  bodyMegabytes?: number;
  /** Send the body in chunks, without a Content-Length. */
  isChunked?: boolean;
  status: number;
  says: RegExp[];
}

/** `lmstrix ARGS` against the shared data directory ("{dataDir}" in an argument is replaced by its path). */
export interface CliEntry {
  description: string;
  args: string[];
  env?: Record<string, string>;
  exitCode: 1 | 2;
  /** Found on stderr. */
  says: RegExp[];
  /** Reaches the database: also sent with the dashboard stopped, when the CLI is its only user. */
  alsoAlone?: true;
}

/** `tsx apps/web/scripts/serve.ts` (what `pnpm start` runs) with these variables over a good configuration. */
export interface WebEnvEntry {
  description: string;
  env: Record<string, string>;
  says: RegExp[];
}

/** `tsx packages/lmstudio-emulator/src/cli.ts --fleet FILE ARGS`, FILE holding `fleet` (when given). */
export interface FleetEntry {
  description: string;
  /** The fleet file's text; absent means `args` alone (and a missing file when args name none). */
  fleet?: string;
  args?: string[];
  exitCode: 1 | 2;
  says: RegExp[];
}

/** A registry file, imported through tRPC `data.importRegistry` and through `lmstrix import FILE`. */
export interface ImportEntry {
  description: string;
  content:
    | { fixture: string } // a file of packages/db's malformed-registry corpus
    | { text: string }
    | { garbageMegabytes: number };
  /** Import into a host that does not exist (API: id 999999; CLI: --host nowhere). */
  unknownHost?: boolean;
  says: RegExp[];
  /** What the CLI must say when it differs from the API. */
  cliSays?: RegExp[];
}

export const apiEntries: ApiEntry[] = [
  {
    description: "host id as a string",
    procedure: "host.status",
    call: "query",
    input: { id: "1" },
    status: 400,
    says: [/(^|; )id: [^;]*(?:Invalid input: expected number, received string)/],
  },
  {
    description: "host id missing",
    procedure: "host.status",
    call: "query",
    input: {},
    status: 400,
    says: [/(^|; )id: [^;]*(?:expected number, received undefined)/],
  },
  {
    description: "no input at all where an object is required",
    procedure: "host.scan",
    call: "mutation",
    input: undefined,
    status: 400,
    says: [/expected object, received undefined/],
  },
  {
    description: "fractional host id",
    procedure: "host.status",
    call: "query",
    input: { id: 1.5 },
    status: 400,
    says: [/(^|; )id: [^;]*(?:expected int)/],
  },
  {
    description: "host id zero",
    procedure: "host.scan",
    call: "mutation",
    input: { id: 0 },
    status: 400,
    says: [/(^|; )id: [^;]*(?:expected number to be >0)/],
  },
  {
    description: "host id 2**63",
    procedure: "host.scan",
    call: "mutation",
    input: { id: 2 ** 63 },
    status: 400,
    says: [/(^|; )id: [^;]*(?:expected int|<=9007199254740991)/],
  },
  {
    description: "unknown host id (status)",
    procedure: "host.status",
    call: "query",
    input: { id: UNKNOWN_ID },
    status: 404,
    says: [/No host with id 999999/],
  },
  {
    description: "unknown host id (scan)",
    procedure: "host.scan",
    call: "mutation",
    input: { id: UNKNOWN_ID },
    status: 404,
    says: [/No host with id 999999/],
  },
  {
    description: "1 MB host name",
    procedure: "host.create",
    call: "mutation",
    input: { name: oneMegabyteOf("h"), url: "ws://10.0.0.5:1234" },
    status: 400,
    says: [/(^|; )name: [^;]*(?:host name must be at most 64 characters)/],
  },
  {
    description: "host name with spaces and punctuation",
    procedure: "host.create",
    call: "mutation",
    input: { name: "gpu box!", url: "ws://10.0.0.5:1234" },
    status: 400,
    says: [/(^|; )name: [^;]*(?:host name may use letters, digits)/],
  },
  {
    description: "host URL that is http://, not ws://",
    procedure: "host.create",
    call: "mutation",
    input: { name: "gpu-box", url: "http://10.0.0.5:1234" },
    status: 400,
    says: [/(^|; )url: [^;]*(?:host URL must look like ws:\/\/127\.0\.0\.1:1234)/],
  },
  {
    description: "1 MB host URL",
    procedure: "host.create",
    call: "mutation",
    input: { name: "gpu-box", url: `ws://${oneMegabyteOf("a")}:1234` },
    status: 400,
    says: [/(^|; )url: [^;]*(?:<=2048 characters)/],
  },
  {
    description: "host URL missing",
    procedure: "host.create",
    call: "mutation",
    input: { name: "gpu-box" },
    status: 400,
    says: [/(^|; )url: [^;]*(?:expected string, received undefined)/],
  },
  {
    description: "host name taken",
    procedure: "host.create",
    call: "mutation",
    input: { name: "local", url: "ws://10.0.0.5:1234" },
    status: 409,
    says: [/A host named "local" exists already/],
  },
  {
    description: "update of an unknown host",
    procedure: "host.update",
    call: "mutation",
    input: { id: UNKNOWN_ID, name: "renamed" },
    status: 404,
    says: [/No host with id 999999/],
  },
  {
    description: "enabled as the string 'yes'",
    procedure: "host.update",
    call: "mutation",
    input: { id: LOCAL_HOST_ID, enabled: "yes" },
    status: 400,
    says: [/(^|; )enabled: [^;]*(?:expected boolean, received string)/],
  },
  {
    description: "host URL without a host name",
    procedure: "host.update",
    call: "mutation",
    input: { id: LOCAL_HOST_ID, url: "ws://" },
    status: 400,
    says: [/(^|; )url: [^;]*(?:host URL must look like ws:\/\/)/],
  },
  {
    description: "delete of an unknown host",
    procedure: "host.delete",
    call: "mutation",
    input: { id: UNKNOWN_ID },
    status: 404,
    says: [/No host with id 999999/],
  },
  {
    description: "unknown model id",
    procedure: "model.get",
    call: "query",
    input: { id: UNKNOWN_ID },
    status: 404,
    says: [/No model with id 999999/],
  },
  {
    description: "model id 'NaN' as text",
    procedure: "model.get",
    call: "query",
    input: { id: "NaN" },
    status: 400,
    says: [/(^|; )id: [^;]*(?:Invalid input: expected number, received string)/],
  },
  {
    description: "negative host filter on the model list",
    procedure: "model.list",
    call: "query",
    input: { hostId: -5 },
    status: 400,
    says: [/(^|; )hostId: [^;]*(?:expected number to be >0)/],
  },
  {
    description: "unknown run id",
    procedure: "run.get",
    call: "query",
    input: { id: UNKNOWN_ID },
    status: 404,
    says: [/No run with id 999999/],
  },
  {
    description: "cancel of an unknown run",
    procedure: "run.cancel",
    call: "mutation",
    input: { id: UNKNOWN_ID },
    status: 404,
    says: [/No run with id 999999/],
  },
  {
    description: "run list of 1e308 rows",
    procedure: "run.list",
    call: "query",
    input: { take: 1e308 },
    status: 400,
    says: [/(^|; )take: [^;]*(?:expected int|<=500)/],
  },
  {
    description: "run list of zero rows",
    procedure: "run.list",
    call: "query",
    input: { take: 0 },
    status: 400,
    says: [/(^|; )take: [^;]*(?:expected number to be >=1)/],
  },
  {
    description: "run on an unknown host",
    procedure: "run.start",
    call: "mutation",
    input: { ...startRun({}), hostId: UNKNOWN_ID },
    status: 404,
    says: [/No host with id 999999/],
  },
  {
    description: "run of an unknown model",
    procedure: "run.start",
    call: "mutation",
    input: { ...startRun({}), modelKeys: ["no-such-model"] },
    status: 404,
    says: [/No model "no-such-model" on host local; scan the host first/],
  },
  {
    description: "run of a 1 MB model key",
    procedure: "run.start",
    call: "mutation",
    input: { ...startRun({}), modelKeys: [oneMegabyteOf("m")] },
    status: 400,
    says: [/(^|; )modelKeys\.0: [^;]*(?:<=512 characters)/],
  },
  {
    description: "model keys as one string instead of a list",
    procedure: "run.start",
    call: "mutation",
    input: { ...startRun({}), modelKeys: KNOWN_MODEL },
    status: 400,
    says: [/(^|; )modelKeys: [^;]*(?:expected array, received string)/],
  },
  {
    description: "run with no model and without all",
    procedure: "run.start",
    call: "mutation",
    input: { hostId: LOCAL_HOST_ID },
    status: 400,
    says: [/Choose at least one model, or test all/],
  },
  {
    description: "model keys together with all",
    procedure: "run.start",
    call: "mutation",
    input: startRun({}, { all: true }),
    status: 400,
    says: [/(^|; )modelKeys: [^;]*(?:either model keys or all, not both)/],
  },
  {
    description: "threshold 1e308",
    procedure: "run.start",
    call: "mutation",
    input: startRun({ threshold: 1e308 }),
    status: 400,
    says: [/(^|; )options\.threshold: [^;]*(?:context length must be at most 10,000,000)/],
  },
  {
    description: "threshold 2**63",
    procedure: "run.start",
    call: "mutation",
    input: startRun({ threshold: 2 ** 63 }),
    status: 400,
    says: [/(^|; )options\.threshold: [^;]*(?:context length must be (a whole number|at most 10,000,000))/],
  },
  {
    description: "threshold above the largest context",
    procedure: "run.start",
    call: "mutation",
    input: startRun({ threshold: 10_000_001 }),
    status: 400,
    says: [/(^|; )options\.threshold: [^;]*(?:context length must be at most 10,000,000)/],
  },
  {
    description: "negative threshold",
    procedure: "run.start",
    call: "mutation",
    input: startRun({ threshold: -4096 }),
    status: 400,
    says: [/(^|; )options\.threshold: [^;]*(?:context length must be at least 1)/],
  },
  {
    description: "fixed context zero",
    procedure: "run.start",
    call: "mutation",
    input: startRun({ fixedContext: 0 }),
    status: 400,
    says: [/(^|; )options\.fixedContext: [^;]*(?:context length must be at least 1)/],
  },
  {
    description: "fractional fixed context",
    procedure: "run.start",
    call: "mutation",
    input: startRun({ fixedContext: 4096.5 }),
    status: 400,
    says: [/(^|; )options\.fixedContext: [^;]*(?:context length must be a whole number)/],
  },
  {
    description: "verify context as text",
    procedure: "run.start",
    call: "mutation",
    input: startRun({ verifyContext: "2048" }),
    status: 400,
    says: [/(^|; )options\.verifyContext: [^;]*(?:Invalid input: expected number, received string)/],
  },
  {
    description: "precision zero",
    procedure: "run.start",
    call: "mutation",
    input: startRun({ precision: 0 }),
    status: 400,
    says: [/(^|; )options\.precision: [^;]*(?:expected number to be >=1)/],
  },
  {
    description: "negative cooldown",
    procedure: "run.start",
    call: "mutation",
    input: startRun({ cooldownMs: -1 }),
    status: 400,
    says: [/(^|; )options\.cooldownMs: [^;]*(?:expected number to be >=0)/],
  },
  {
    description: "recall threshold above 1",
    procedure: "run.start",
    call: "mutation",
    input: startRun({ effective: true, recallThreshold: 1.5 }),
    status: 400,
    says: [/(^|; )options\.recallThreshold: [^;]*(?:expected number to be <=1)/],
  },
  {
    description: "unknown search strategy",
    procedure: "run.start",
    call: "mutation",
    input: startRun({ strategy: "magic" }),
    status: 400,
    says: [/(^|; )options\.strategy: [^;]*(?:"fit"\|"lmstrix")/],
  },
  {
    description: "effective search with a fixed context",
    procedure: "run.start",
    call: "mutation",
    input: startRun({ effective: true, fixedContext: 4096 }),
    status: 400,
    says: [/(^|; )options\.effective: [^;]*(?:does not combine with a fixed context)/],
  },
  {
    description: "recall threshold without the effective search",
    procedure: "run.start",
    call: "mutation",
    input: startRun({ recallThreshold: 0.5 }),
    status: 400,
    says: [/(^|; )options\.recallThreshold: [^;]*(?:needs effective)/],
  },
  {
    description: "superjson-encoded NaN as a host id",
    procedure: "host.scan",
    call: "mutation",
    rawBody: JSON.stringify({ json: { id: "NaN" }, meta: { values: { id: ["number"] } } }),
    status: 400,
    says: [/(^|; )id: [^;]*(?:expected number, received NaN)/],
  },
  {
    description: "superjson-encoded Infinity as a threshold",
    procedure: "run.start",
    call: "mutation",
    rawBody: JSON.stringify({
      json: startRun({ threshold: "Infinity" }),
      meta: { values: { "options.threshold": ["number"] } },
    }),
    status: 400,
    says: [/(^|; )options\.threshold: [^;]*(?:expected number, received (Infinity|number)|context length)/],
  },
  {
    description: "superjson-encoded bigint 2**63 as a host id",
    procedure: "host.scan",
    call: "mutation",
    rawBody: JSON.stringify({ json: { id: "9223372036854775808" }, meta: { values: { id: ["bigint"] } } }),
    status: 400,
    says: [/(^|; )id: [^;]*(?:expected number, received bigint)/],
  },
  {
    description: "malformed JSON body",
    procedure: "host.scan",
    call: "mutation",
    rawBody: '{"json": {"id": 1',
    status: 400,
    says: [/JSON/],
  },
  {
    description: "a JSON string as the body",
    procedure: "host.create",
    call: "mutation",
    rawBody: '"gpu-box ws://10.0.0.5:1234"',
    status: 400,
    says: [/expected object/],
  },
  {
    description: "unknown procedure",
    procedure: "host.frobnicate",
    call: "mutation",
    input: { id: LOCAL_HOST_ID },
    status: 404,
    says: [/No procedure found on path "host\.frobnicate"/],
  },
  {
    description: "GET of a mutation",
    procedure: "host.scan",
    call: "query",
    input: { id: LOCAL_HOST_ID },
    status: 405,
    says: [/Unsupported GET-request to mutation procedure at path "host\.scan"/],
  },
  {
    description: "POST to a query",
    procedure: "host.list",
    call: "mutation",
    input: undefined,
    status: 405,
    says: [/Unsupported POST-request to query procedure at path "host\.list"/],
  },
  {
    description: "restore of a snapshot that does not exist",
    procedure: "data.restoreSnapshot",
    call: "mutation",
    input: { name: "nope.db" },
    status: 404,
    says: [/Could not restore the snapshot/, /nope\.db/],
  },
  {
    description: "restore of a path outside the snapshots folder",
    procedure: "data.restoreSnapshot",
    call: "mutation",
    input: { name: "../lmstrix.db" },
    status: 400,
    says: [/Could not restore the snapshot/, /\.\.\/lmstrix\.db/],
  },
  {
    description: "restore with an empty snapshot name",
    procedure: "data.restoreSnapshot",
    call: "mutation",
    input: { name: "" },
    status: 400,
    says: [/(^|; )name: [^;]*(?:expected string to have >=1 characters)/],
  },
  {
    description: "import without the file's text",
    procedure: "data.importRegistry",
    call: "mutation",
    input: { hostId: LOCAL_HOST_ID },
    status: 400,
    says: [/(^|; )text: [^;]*(?:expected string, received undefined)/],
  },
  {
    description: "import with dryRun as text",
    procedure: "data.importRegistry",
    call: "mutation",
    input: { hostId: LOCAL_HOST_ID, text: "{}", dryRun: "yes" },
    status: 400,
    says: [/(^|; )dryRun: [^;]*(?:expected boolean, received string)/],
  },
  {
    description: "playground at context zero",
    procedure: "playground.respond",
    call: "subscription",
    input: { hostId: LOCAL_HOST_ID, modelKey: KNOWN_MODEL, contextLength: 0, prompt: "hello" },
    status: 400,
    says: [/(^|; )contextLength: [^;]*context length must be at least 1/],
  },
  {
    description: "playground with an empty prompt",
    procedure: "playground.respond",
    call: "subscription",
    input: { hostId: LOCAL_HOST_ID, modelKey: KNOWN_MODEL, contextLength: 4096, prompt: "" },
    status: 400,
    says: [/(^|; )prompt: Write a prompt first/],
  },
  {
    description: "playground on an unknown host",
    procedure: "playground.respond",
    call: "subscription",
    input: { hostId: UNKNOWN_ID, modelKey: KNOWN_MODEL, contextLength: 4096, prompt: "hello" },
    status: 404,
    says: [/No host with id 999999/],
  },
  {
    description: "run events of a run id that is text",
    procedure: "run.onEvents",
    call: "subscription",
    input: { runId: "abc" },
    status: 400,
    says: [/(^|; )runId: [^;]*expected number, received string/],
  },
];

const exportWith = (query: string) => ({ method: "GET" as const, path: `/api/export?${query}` });

export const httpEntries: HttpEntry[] = [
  {
    description: "unknown export format",
    ...exportWith("format=xml"),
    status: 400,
    says: [/format: [^;]*"lmstrix"\|"json"\|"csv"/],
  },
  {
    description: "export host id that is not a number",
    ...exportWith("hostId=abc"),
    status: 400,
    says: [/hostId: [^;]*expected number, received NaN/],
  },
  {
    description: "negative export host id",
    ...exportWith("hostId=-1"),
    status: 400,
    says: [/hostId: [^;]*>0/],
  },
  {
    description: "export host id 1e308",
    ...exportWith("hostId=1e308"),
    status: 400,
    says: [/hostId: [^;]*(int|<=)/],
  },
  {
    description: "export of an unknown host",
    ...exportWith("hostId=999999"),
    status: 404,
    says: [/There is no host #999999/],
  },
  {
    description: "a 110 MB import request",
    method: "POST",
    path: "/api/trpc/data.importRegistry",
    bodyMegabytes: 110,
    status: 413,
    says: [/The request is larger than 100 MB/],
  },
  {
    description: "an import request of unknown length (chunked, no Content-Length)",
    method: "POST",
    path: "/api/trpc/data.importRegistry",
    bodyMegabytes: 1,
    isChunked: true,
    status: 411,
    says: [/Send the request with a Content-Length header/],
  },
];

const bigKey = "k".repeat(100_000); // Linux allows 128 kB per argument; a 1 MB one cannot even be passed.

export const cliEntries: CliEntry[] = [
  {
    description: "unknown command",
    args: ["frobnicate"],
    exitCode: 2,
    says: [/unknown command "frobnicate"/],
  },
  {
    description: "a flag before any command",
    args: ["--version"],
    exitCode: 2,
    says: [/expected a command/],
  },
  {
    description: "unknown flag",
    args: ["list", "--bogus"],
    exitCode: 2,
    says: [/unknown flag --bogus for "list"/],
  },
  {
    description: "threshold as text",
    args: ["test", "--all", "--threshold", "abc"],
    exitCode: 2,
    says: [/--threshold must be a whole number between 1 and 10,000,000; got "abc"/],
  },
  {
    description: "threshold 1e308",
    args: ["test", "--all", "--threshold", "1e308"],
    exitCode: 2,
    says: [/--threshold must be a whole number between 1 and 10,000,000; got "1e308"/],
  },
  {
    description: "threshold 2**63",
    args: ["test", "--all", "--threshold", "9223372036854775808"],
    exitCode: 2,
    says: [/--threshold must be a whole number between 1 and 10,000,000; got "9223372036854775808"/],
  },
  {
    description: "fractional context",
    args: ["test", KNOWN_MODEL, "--ctx", "4096.5"],
    exitCode: 2,
    says: [/--ctx must be a whole number between 1 and 10,000,000; got "4096.5"/],
  },
  {
    description: "context NaN",
    args: ["test", KNOWN_MODEL, "--ctx", "NaN"],
    exitCode: 2,
    says: [/--ctx must be a whole number between 1 and 10,000,000; got "NaN"/],
  },
  {
    description: "precision zero",
    args: ["test", "--all", "--precision", "0"],
    exitCode: 2,
    says: [/--precision must be a whole number between 1 and 1,000,000; got "0"/],
  },
  {
    description: "negative cooldown",
    args: ["test", "--all", "--cooldown", "-3"],
    exitCode: 2,
    says: [/--cooldown must be a number between 0 and 600; got "-3"/],
  },
  {
    description: "unknown strategy",
    args: ["test", "--all", "--strategy", "magic"],
    exitCode: 2,
    says: [/--strategy must be one of .*; got "magic"/],
  },
  {
    description: "recall without effective",
    args: ["test", "--all", "--recall", "0.5"],
    exitCode: 2,
    says: [/--recall needs --effective/],
  },
  {
    description: "effective with a fixed context",
    args: ["test", KNOWN_MODEL, "--effective", "--ctx", "4096"],
    exitCode: 2,
    says: [/--effective .* does not combine with --ctx/],
  },
  {
    description: "model keys with --all",
    args: ["test", KNOWN_MODEL, "--all"],
    exitCode: 2,
    says: [/give model keys or --all, not both/],
  },
  {
    description: "test with nothing to test",
    args: ["test"],
    exitCode: 2,
    says: [/give one or more MODEL_KEYs, or --all/],
  },
  {
    description: "unknown model key",
    args: ["test", "no-such-model"],
    exitCode: 2,
    says: [/unknown model key "no-such-model" on host local/],
    alsoAlone: true,
  },
  {
    description: "100 kB model key",
    args: ["test", bigKey],
    exitCode: 2,
    says: [/a model key must be at most 512 characters; got 100000/],
  },
  {
    description: "unknown host",
    args: ["test", "--all", "--host", "nowhere"],
    exitCode: 2,
    says: [/unknown host "nowhere"/],
    alsoAlone: true,
  },
  {
    description: "host name with punctuation",
    args: ["list", "--host", "gpu box!"],
    exitCode: 2,
    says: [/--host: host name may use letters, digits/],
  },
  {
    description: "unknown sort key",
    args: ["list", "--sort", "sideways"],
    exitCode: 2,
    says: [/--sort must be one of .*; got "sideways"/],
  },
  {
    description: "run limit zero",
    args: ["runs", "--limit", "0"],
    exitCode: 2,
    says: [/--limit must be a whole number between 1 and/],
  },
  {
    description: "cancel of an unknown run",
    args: ["cancel", "999999"],
    exitCode: 2,
    says: [/unknown run #999999/],
    alsoAlone: true,
  },
  {
    description: "cancel of a run id that is not a number",
    args: ["cancel", "abc"],
    exitCode: 2,
    says: [/RUN_ID must be a whole number between 1 and .*; got "abc"/],
  },
  {
    description: "host URL that is http://",
    args: ["host", "add", "gpu-box", "http://10.0.0.5:1234"],
    exitCode: 2,
    says: [/host URL must look like ws:\/\/127\.0\.0\.1:1234/],
  },
  {
    description: "host name taken",
    args: ["host", "add", "local", "ws://10.0.0.5:1234"],
    exitCode: 2,
    says: [/a host named "local" exists already/],
    alsoAlone: true,
  },
  {
    description: "remove of an unknown host",
    args: ["host", "remove", "nowhere"],
    exitCode: 2,
    says: [/unknown host "nowhere"/],
    alsoAlone: true,
  },
  {
    description: "import of a file that does not exist",
    args: ["import", "/nonexistent/lmstrix.json"],
    exitCode: 2,
    says: [/cannot import \/nonexistent\/lmstrix\.json: no such file/],
  },
  {
    description: "import of a directory",
    args: ["import", "{dataDir}"],
    exitCode: 2,
    says: [/cannot import .*: it is not a regular file \(a directory\)/],
  },
  {
    description: "export over the database itself without --force",
    args: ["export", "--out", "{dataDir}/lmstrix.db"],
    exitCode: 2,
    says: [/lmstrix\.db exists already; add --force to replace it/],
    alsoAlone: true,
  },
  {
    description: "unknown export format",
    args: ["export", "--format", "xml"],
    exitCode: 2,
    says: [/--format must be one of .*; got "xml"/],
  },
  {
    description: "restore of a snapshot that does not exist",
    args: ["snapshot", "restore", "nope.db", "--yes"],
    exitCode: 2,
    says: [/no snapshot named "nope\.db"/],
    alsoAlone: true,
  },
  {
    description: "infer with an embedding model",
    args: ["infer", "hello", "--model", "text-embedding-nomic-embed-text-v1.5"],
    exitCode: 2,
    says: [/text-embedding-nomic-embed-text-v1\.5 is an embedding model/],
    alsoAlone: true,
  },
  {
    description: "infer with a temperature as text",
    args: ["infer", "hello", "--model", KNOWN_MODEL, "--temperature", "hot"],
    exitCode: 2,
    says: [/--temperature must be a number between .*; got "hot"/],
  },
  {
    description: "bad LMSTRIX_HEARTBEAT_MS",
    args: ["list"],
    env: { LMSTRIX_HEARTBEAT_MS: "-5" },
    exitCode: 2,
    says: [/invalid environment: LMSTRIX_HEARTBEAT_MS: /],
  },
  {
    description: "LMSTUDIO_URL that is http://",
    args: ["list"],
    env: { LMSTUDIO_URL: "http://x" },
    exitCode: 2,
    says: [/invalid environment: LMSTUDIO_URL: LMSTUDIO_URL must look like ws:\/\//],
  },
  {
    description: "LMSTRIX_SNAPSHOT_KEEP as text",
    args: ["list"],
    env: { LMSTRIX_SNAPSHOT_KEEP: "many" },
    exitCode: 2,
    says: [/invalid environment: LMSTRIX_SNAPSHOT_KEEP: /],
  },
  {
    description: "LMSTRIX_POLL_MS 1e308",
    args: ["list"],
    env: { LMSTRIX_POLL_MS: "1e308" },
    exitCode: 2,
    says: [/invalid environment: LMSTRIX_POLL_MS: /],
  },
  {
    description: "blank LMSTRIX_DATA_DIR",
    args: ["list"],
    env: { LMSTRIX_DATA_DIR: "   " },
    exitCode: 2,
    says: [/LMSTRIX_DATA_DIR must not be empty/],
  },
];

export const webEnvEntries: WebEnvEntry[] = [
  { description: "PORT as text", env: { PORT: "abc" }, says: [/PORT: /] },
  { description: "PORT above 65535", env: { PORT: "70000" }, says: [/PORT: .*65535/] },
  {
    description: "negative heartbeat",
    env: { LMSTRIX_HEARTBEAT_MS: "-5" },
    says: [/LMSTRIX_HEARTBEAT_MS: /],
  },
  {
    description: "LM Studio URL that is http://",
    env: { LMSTUDIO_URL: "http://x" },
    says: [/LMSTUDIO_URL: LMSTUDIO_URL must look like ws:\/\//],
  },
  {
    description: "short token on an open address",
    env: { LMSTRIX_LISTEN: "0.0.0.0", LMSTRIX_TOKEN: "short" },
    says: [/LMSTRIX_TOKEN: LMSTRIX_TOKEN must be at least 16 characters/],
  },
  {
    description: "open address without a token",
    env: { LMSTRIX_LISTEN: "0.0.0.0" },
    says: [/LMSTRIX_LISTEN=0\.0\.0\.0 .*LMSTRIX_TOKEN must be set/],
  },
  {
    description: "queue poll 1e308 ms",
    env: { LMSTRIX_QUEUE_POLL_MS: "1e308" },
    says: [/LMSTRIX_QUEUE_POLL_MS: /],
  },
  {
    description: "lease stale NaN",
    env: { LMSTRIX_LEASE_STALE_MS: "NaN" },
    says: [/LMSTRIX_LEASE_STALE_MS: /],
  },
  {
    description: "keep zero snapshots",
    env: { LMSTRIX_SNAPSHOT_KEEP: "0" },
    says: [/LMSTRIX_SNAPSHOT_KEEP: /],
  },
];

/** A valid fleet model; entries change one thing. */
const model = (changes: Record<string, unknown> = {}) => ({
  modelKey: "m",
  type: "llm",
  format: "gguf",
  path: "pub/m/m.gguf",
  sizeBytes: 1_000_000,
  maxContextLength: 4096,
  kvBytesPerToken: 1024,
  ...changes,
});
const fleet = (models: unknown[], memoryBytes: unknown = 8 * 1024 ** 3) =>
  JSON.stringify({ memoryBytes, models });

export const fleetEntries: FleetEntry[] = [
  { description: "not JSON", fleet: "memoryBytes: 16GB", exitCode: 1, says: [/is not valid JSON/] },
  { description: "empty file", fleet: "", exitCode: 1, says: [/is not valid JSON/] },
  { description: "a list at the top", fleet: "[]", exitCode: 1, says: [/\(root\): .*expected object/] },
  { description: "memory as text", fleet: fleet([model()], "16GB"), exitCode: 1, says: [/memoryBytes: /] },
  { description: "negative memory", fleet: fleet([model()], -1), exitCode: 1, says: [/memoryBytes: .*>=1/] },
  {
    description: "negative model size",
    fleet: fleet([model({ sizeBytes: -5 })]),
    exitCode: 1,
    says: [/models\[0\]\.sizeBytes: .*>=0/],
  },
  {
    description: "zero context length",
    fleet: fleet([model({ maxContextLength: 0 })]),
    exitCode: 1,
    says: [/models\[0\]\.maxContextLength: /],
  },
  {
    description: "duplicate model keys",
    fleet: fleet([model(), model({ path: "other.gguf" })]),
    exitCode: 1,
    says: [/models\[1\]\.modelKey: duplicate modelKey "m" \(first used by models\[0\]\)/],
  },
  {
    description: "unknown fault name",
    fleet: fleet([model({ faults: ["explodeOnLoad"] })]),
    exitCode: 1,
    says: [/models\[0\]\.faults\[0\]: unknown fault/],
  },
  {
    description: "known fault with a negative parameter",
    fleet: fleet([model({ faults: [{ crashAbove: -1 }] })]),
    exitCode: 1,
    says: [/models\[0\]\.faults\[0\]\.crashAbove: .*>=1/],
  },
  {
    description: "unknown model field",
    fleet: fleet([model({ colour: "red" })]),
    exitCode: 1,
    says: [/models\[0\]: .*"colour"/],
  },
  {
    description: "unknown model type",
    fleet: fleet([model({ type: "vision" })]),
    exitCode: 1,
    says: [/models\[0\]\.type: /],
  },
  {
    description: "fleet file that does not exist",
    args: ["--fleet", "/nonexistent/fleet.json"],
    exitCode: 1,
    says: [/Cannot read fleet file \/nonexistent\/fleet\.json/],
  },
  {
    description: "negative time scale",
    args: ["--time-scale=-1"],
    exitCode: 2,
    says: [/--time-scale must be/],
  },
  {
    description: "port above 65535",
    args: ["--port", "70000"],
    exitCode: 2,
    says: [/--port must be an integer/],
  },
];

export const importEntries: ImportEntry[] = [
  { description: "not JSON", content: { fixture: "01-not-json.txt" }, says: [/not valid JSON/] },
  { description: "truncated", content: { fixture: "02-truncated.txt" }, says: [/truncated/] },
  {
    description: "llms is a list",
    content: { fixture: "04-llms-is-a-list.txt" },
    says: [/llms: must be an object mapping model keys to entries/],
  },
  {
    description: "context as text",
    content: { fixture: "05-ctx-in-as-text.txt" },
    says: [/llms\["qwen3-8b"\]\.ctx_in: must be a number \(got "40960"\)/],
  },
  {
    description: "context too large",
    content: { fixture: "07-ctx-in-too-large.txt" },
    says: [/ctx_in: must be at most 10,000,000 \(got 99999999999\)/],
  },
  {
    description: "negative size",
    content: { fixture: "09-negative-size.txt" },
    says: [/size_bytes: must not be negative/],
  },
  {
    description: "negative last bad context",
    content: { fixture: "18-last-bad-negative.txt" },
    says: [/last_known_bad_context: must be at least 1 \(got -1\)/],
  },
  {
    description: "fractional context",
    content: { fixture: "19-fractional-context.txt" },
    says: [/tested_max_context: must be a whole number \(got 32768\.5\)/],
  },
  { description: "empty file", content: { fixture: "21-empty.txt" }, says: [/the file is empty/] },
  {
    description: "JSON that is not a registry",
    content: { text: '{"name": "my-app", "version": "1.0.0"}' },
    says: [/llms: is missing: this is not an lmstrix registry/],
  },
  {
    description: "51 MB of garbage",
    content: { garbageMegabytes: 51 },
    says: [/larger than 50 MB/],
  },
  {
    description: "a valid registry into an unknown host",
    content: { text: '{"llms": {}}' },
    unknownHost: true,
    says: [/Could not import the file: There is no host #999999 to import into/],
    cliSays: [/unknown host "nowhere"/],
  },
];

export const corpusSize =
  apiEntries.length +
  httpEntries.length +
  cliEntries.length +
  webEnvEntries.length +
  fleetEntries.length +
  importEntries.length;
