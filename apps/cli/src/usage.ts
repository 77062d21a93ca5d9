const GENERAL = `Usage: pnpm lmstrix <command> [options]

Finds out how much context each LM Studio model really handles on this machine, and keeps the results.

Commands:
  scan      read a host's downloaded models into the database
  list      show the models and their loadable and effective limits
  test      find the loadable limit of models (one, several, or --all)
  infer     answer a prompt with a model loaded at its loadable limit
  host      add, list or remove LM Studio hosts
  runs      show recent test runs
  cancel    cancel a queued or running test run, or skip the model in flight (--model KEY)
  health    check the database (integrity, data, snapshots); --repair fixes what is safe
  import    import an lmstrix.json (or older lmsm.json) registry
  export    export the results: lmstrix registry, full JSON history or CSV
  snapshot  list, take or restore snapshots of the database

Run "pnpm lmstrix help <command>" for a command's options.
Environment: LMSTUDIO_URL (default ws://127.0.0.1:1234, the host "local"), LMSTRIX_DATA_DIR,
LMSTRIX_SNAPSHOT_KEEP (snapshots kept, default 10).
Exit codes: 0 success, 1 a failure occurred (or health found problems), 2 bad usage or bad input.`;

const COMMANDS: Record<string, string> = {
  scan: `Usage: lmstrix scan [--host NAME] [--failed] [--reset]

Reads the host's downloaded models: new ones are added, changed ones updated, gone ones kept and marked absent.
  --host NAME   host to scan (default: local)
  --failed      also clear the test results of failed models
  --reset       also clear the test results of every model`,
  list: `Usage: lmstrix list [--host NAME] [--sort KEY] [--show MODE]

  --host NAME   only this host's models (default: every host)
  --sort KEY    id, ctx (loadable limit), dtx (declared), size; add "d" for descending: idd, ctxd, dtxd, sized
  --show MODE   table (default), id, path, json`,
  test: `Usage: lmstrix test MODEL_KEY... | --all [options]

Finds the largest context each model loads at and still answers a check prompt.
  --all              every LLM of the host not tested yet (embedding models are skipped)
  --host NAME        host to test on (default: local)
  --threshold N      do not go above N tokens at first (default 31,744)
  --ctx N            test exactly N tokens
  --precision N      stop refining when the loadable limit is known to N tokens (default: 1% of the size, at least 256)
  --cooldown SECONDS pause between models (default 3)
  --reset            forget earlier results of the tested models first
  --force            test even at or above a size that failed before
  --keep-loaded      do not unload models that are already loaded (limits will be lower)
  --strategy NAME    lmstrix (default: the Python tool's search) or fit (predicts each limit from what the host
                     showed before, then verifies it: far fewer loads, same precision)
  --effective        also measure the effective context: the largest loadable size at which a prompt that
                     fills the window is still recalled (needles at start, middle and end)
  --recall F         share 0..1 of the needles a filled check must recall (default 1: all; needs --effective)
  --json             print the results as JSON (progress goes to stderr)
Ctrl-C cancels the run (the model is unloaded); a second Ctrl-C quits at once.`,
  infer: `Usage: lmstrix infer PROMPT --model KEY [--host NAME] [--max-tokens N] [--temperature T] [--ctx N]

Loads the model at its loadable limit (declared context if untested), streams the answer, unloads.
  --temperature T   default 0.7`,
  host: `Usage: lmstrix host add NAME URL | host list | host remove NAME

  add NAME URL   register an LM Studio server, e.g. host add gpu-box ws://10.0.0.5:1234
  list           registered hosts
  remove NAME    forget a host with its models and run history`,
  runs: `Usage: lmstrix runs [--host NAME] [--limit N]

Recent test runs, newest first (default 20).`,
  cancel: `Usage: lmstrix cancel RUN_ID [--model KEY]

Cancels a queued or running run; a running one aborts its probe and unloads the model.
  --model KEY   skip only this model, the one in flight: its probe is cancelled, the model unloaded and
                left as its earlier results say, and the run goes on with the next model`,
  health: `Usage: lmstrix health [--json] [--repair]

Checks the database: integrity and foreign keys, values out of range (contexts outside 1..10,000,000, a
loadable limit above the declared context that no probe proves, last good not below last bad), runs marked
running with no live process, probes without an outcome; lists the snapshots, the database size and its
migration.
Reads only; a damaged file is reported, never opened for writing.
  --json     the full report as JSON
  --repair   fix what is safe (stale runs, models stuck at testing, open probes), after a snapshot; says
             what it changed
Exit codes: 0 healthy, 1 warnings or errors found (also after --repair, if some remain).`,
  import: `Usage: lmstrix import FILE [--host NAME] [--dry-run] [--skip-invalid] [--json]

Imports an lmstrix registry (lmstrix.json, or the older lmsm.json) into a host's models and history.
The whole file is checked first: a malformed one is refused (exit 2) with the entry and field at fault,
and nothing is written. A snapshot is taken before anything changes; importing the same file twice
changes nothing. Refused while a run is running on the host.
  --host NAME      host to import into (default: local)
  --dry-run        show what would be created, updated (field by field) or left alone; write nothing
  --skip-invalid   import the valid entries, skipping the invalid ones with a warning each
  --json           print the result as JSON`,
  export: `Usage: lmstrix export [--format lmstrix|json|csv] [--host NAME] [--out FILE [--force]]

  --format F    lmstrix (default): lmstrix.json for one host, readable by lmstrix and importable again;
                json: the full history (hosts, models, runs, probes, events); csv: one row per model
  --host NAME   only this host (needed for lmstrix when several hosts have models)
  --out FILE    write to FILE (atomically) instead of stdout; an existing FILE is refused
  --force       replace an existing FILE`,
  snapshot: `Usage: lmstrix snapshot list [--json] | create [--reason R] | restore NAME [--yes]

Snapshots are consistent copies of the database in <data dir>/snapshots/. One is taken before every run,
import, restore and repair; the newest LMSTRIX_SNAPSHOT_KEEP (default 10) are kept.
  list              the snapshots, newest first, with reason, size and age
  create            take one now (--reason: manual (default), before-run, before-import, before-restore,
                    before-repair)
  restore NAME      put a snapshot's data back (a before-restore snapshot is taken first, to undo it).
                    Refused while a run is running. Asks for confirmation on a terminal; elsewhere --yes
                    is required. A database too damaged to open is replaced by the snapshot's file (the
                    damaged one is kept in <data dir>/damaged/); stop the dashboard first.`,
  help: `Usage: lmstrix help [COMMAND]`,
};

export function usage(topic?: string): string {
  return (topic !== undefined ? COMMANDS[topic] : undefined) ?? GENERAL;
}
