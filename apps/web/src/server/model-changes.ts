import "server-only";
import { parseRunEvent, type RunEvent } from "@lmstrix/core";
import { type PrismaClient, toRunEventRow } from "@lmstrix/db";
import { type ModelRowOutput, readModelRows } from "./read-models/model-rows";
import { joinSharedPoll, type PollResult, queuedTicks, type SharedPoll } from "./shared-poll";

const PAGE = 500;

/** The model whose row may read differently after `event` (its status, limits or markers), if any. */
function touchedModelKey(event: RunEvent): string | null {
  switch (event.type) {
    case "model.started":
    case "probe.started":
    case "probe.finished":
    case "model.finished":
      return event.payload.modelKey;
    default:
      return null;
  }
}

/** A run that ends (or stops) settles the models it left at "testing". */
const isRunEnd = (event: RunEvent) => event.type === "run.finished" || event.type === "run.interrupted";

export type ModelChange =
  /** The first message of a fresh stream: changes after this point follow; read the table now. */
  | { type: "following" }
  /** Rows that runs changed, as they read now. */
  | { type: "changed"; rows: ModelRowOutput[] };

interface Changes {
  /** The last event id read (the cursor to go on from). */
  to: number;
  rows: ModelRowOutput[];
  isFull: boolean;
}

/**
 * The models touched by the events after `afterId` (up to `upTo`, at most a page of them), read as they are
 * now. The events are the same rows the Run page follows, written by this server or by the CLI.
 */
async function readChanges(prisma: PrismaClient, afterId: number, upTo?: number): Promise<Changes> {
  const events = await prisma.runEvent.findMany({
    where: { id: { gt: afterId, lte: upTo } },
    orderBy: { id: "asc" },
    take: PAGE,
    select: {
      id: true,
      runId: true,
      type: true,
      payloadJson: true,
      createdAt: true,
      run: { select: { hostId: true } },
    },
  });
  const to = events.at(-1)?.id ?? afterId;
  const isFull = events.length === PAGE;
  const keys = new Map<string, { hostId: number; modelKey: string }>();
  const endedRunIds = new Set<number>();
  for (const row of events) {
    // A row that does not fit its kind (an older database) is passed over: it names no model to read again.
    const event = parseRunEvent(toRunEventRow(row));
    if (!event) continue;
    if (isRunEnd(event)) endedRunIds.add(event.runId);
    const modelKey = touchedModelKey(event);
    const { hostId } = row.run;
    if (modelKey) keys.set(`${hostId}\n${modelKey}`, { hostId, modelKey });
  }
  if (keys.size === 0 && endedRunIds.size === 0) return { to, rows: [], isFull };
  const touched = await prisma.model.findMany({
    where: {
      OR: [
        ...keys.values(),
        ...(endedRunIds.size > 0 ? [{ probes: { some: { runId: { in: [...endedRunIds] } } } }] : []),
      ],
    },
    select: { id: true },
  });
  const rows =
    touched.length > 0 ? await readModelRows({ prisma }, { ids: touched.map(({ id }) => id) }) : [];
  return { to, rows, isFull };
}

/** How many polls without news before the poll checks that the event ids have not gone back (2 s). */
const REWIND_CHECK_EVERY = 10;

interface Tick {
  from: number;
  changes: Changes;
  /** The newest event id went down (a snapshot was restored): follow from there, after a fresh read. */
  isRewound?: boolean;
  error?: unknown;
}

function changesPoll(prisma: PrismaClient, startCursor: number): () => Promise<PollResult<Tick>> {
  let cursor = startCursor;
  let quietPolls = 0;
  return async () => {
    const from = cursor;
    try {
      const changes = await readChanges(prisma, from);
      if (changes.to > from) {
        quietPolls = 0;
        cursor = changes.to;
        return { tick: { from, changes }, isFull: changes.isFull };
      }
      // A restored snapshot brings back an older event table, whose next ids are below the cursor: without
      // this check nothing would be seen again until the ids caught up.
      quietPolls += 1;
      if (quietPolls % REWIND_CHECK_EVERY === 0) {
        const latest = await latestEventId(prisma);
        if (latest < cursor) {
          cursor = latest;
          return { tick: { from, changes: { ...changes, to: latest }, isRewound: true }, isFull: false };
        }
      }
      return { tick: { from, changes }, isFull: false };
    } catch (error) {
      return { tick: { from, changes: { to: from, rows: [], isFull: false }, error }, isFull: false };
    }
  };
}

/** One shared poll of the event table per database, whoever follows it. */
const polls = new WeakMap<PrismaClient, Map<"all", SharedPoll<Tick>>>();

function pollsOf(prisma: PrismaClient): Map<"all", SharedPoll<Tick>> {
  let registry = polls.get(prisma);
  if (!registry) {
    registry = new Map();
    polls.set(prisma, registry);
  }
  return registry;
}

async function latestEventId(prisma: PrismaClient): Promise<number> {
  const latest = await prisma.runEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  return latest?.id ?? 0;
}

/**
 * The Models table's rows that runs change, live, with the event id each batch is up to. Without `afterId`
 * the stream starts at the newest event and says so first ("following"); with it (a client reconnecting), it
 * first sends the rows changed since. It says "following" again whenever the client must read the whole
 * table anew (the event ids went back: a snapshot was restored). Event ids grow across all runs, so one cursor follows every run, the
 * ones started later and from the CLI included.
 */
export async function* followModelChanges(
  { prisma }: { prisma: PrismaClient },
  afterId: number | null,
  signal: AbortSignal | undefined,
): AsyncGenerator<{ eventId: number; change: ModelChange }> {
  const latest = await latestEventId(prisma);
  // A client coming back with an id the database no longer reaches (a snapshot was restored meanwhile)
  // starts afresh, as a new one does.
  const isFresh = afterId === null || afterId > latest;
  let cursor = isFresh ? latest : afterId;
  if (isFresh) yield { eventId: cursor, change: { type: "following" } };
  function* take(changes: Changes): Generator<{ eventId: number; change: ModelChange }> {
    if (changes.to <= cursor) return;
    cursor = changes.to;
    if (changes.rows.length > 0) yield { eventId: cursor, change: { type: "changed", rows: changes.rows } };
  }

  for (;;) {
    if (signal?.aborted) return;
    const changes = await readChanges(prisma, cursor);
    yield* take(changes);
    if (!changes.isFull) break;
  }

  const ticks = queuedTicks<Tick>(
    (listener) => joinSharedPoll(pollsOf(prisma), "all", changesPoll(prisma, cursor), listener),
    signal,
  );
  for await (const tick of ticks) {
    if (tick.error !== undefined) throw tick.error;
    if (tick.isRewound) {
      cursor = tick.changes.to;
      yield { eventId: cursor, change: { type: "following" } };
      continue;
    }
    // Joined between two polls: what came before this tick's batch, read on our own.
    while (cursor < tick.from) {
      const missed = await readChanges(prisma, cursor, tick.from);
      yield* take(missed);
      if (!missed.isFull) cursor = Math.max(cursor, tick.from);
    }
    // (A batch this client has partly seen already is sent whole: rows are their current state.)
    yield* take(tick.changes);
  }
}
