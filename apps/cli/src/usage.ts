const GENERAL = `Usage: pnpm lmstrix <command> [options]

Finds out how much context each LM Studio model really handles on this machine, and keeps the results.

Commands:
  scan      read a host's downloaded models into the database
  list      show the models and their tested context
  test      find the context limit of models (one, several, or --all)
  infer     answer a prompt with a model loaded at its tested context
  host      add, list or remove LM Studio hosts
  runs      show recent test runs
  cancel    cancel a queued or running test run

Run "pnpm lmstrix help <command>" for a command's options.
Environment: LMSTUDIO_URL (default ws://127.0.0.1:1234, the host "local"), LMSTRIX_DATA_DIR.
Exit codes: 0 success, 1 a failure occurred, 2 bad usage.`;

const COMMANDS: Record<string, string> = {
  scan: `Usage: lmstrix scan [--host NAME] [--failed] [--reset]

Reads the host's downloaded models: new ones are added, changed ones updated, gone ones kept and marked absent.
  --host NAME   host to scan (default: local)
  --failed      also clear the test results of failed models
  --reset       also clear the test results of every model`,
  list: `Usage: lmstrix list [--host NAME] [--sort KEY] [--show MODE]

  --host NAME   only this host's models (default: every host)
  --sort KEY    id, ctx (tested), dtx (declared), size; add "d" for descending: idd, ctxd, dtxd, sized
  --show MODE   table (default), id, path, json`,
  test: `Usage: lmstrix test MODEL_KEY... | --all [options]

Finds the largest context each model loads at and still answers a check prompt.
  --all              every LLM of the host not tested yet (embedding models are skipped)
  --host NAME        host to test on (default: local)
  --threshold N      do not go above N tokens at first (default 31,744)
  --ctx N            test exactly N tokens
  --precision N      stop refining when the limit is known to N tokens (default: 1 % of the size, at least 256)
  --cooldown SECONDS pause between models (default 3)
  --reset            forget earlier results of the tested models first
  --force            test even at or above a size that failed before
  --keep-loaded      do not unload models that are already loaded (limits will be lower)
  --json             print the results as JSON (progress goes to stderr)
Ctrl-C cancels the run (the model is unloaded); a second Ctrl-C quits at once.`,
  infer: `Usage: lmstrix infer PROMPT --model KEY [--host NAME] [--max-tokens N] [--temperature T] [--ctx N]

Loads the model at its tested context (declared context if untested), streams the answer, unloads.
  --temperature T   default 0.7`,
  host: `Usage: lmstrix host add NAME URL | host list | host remove NAME

  add NAME URL   register an LM Studio server, e.g. host add gpu-box ws://10.0.0.5:1234
  list           registered hosts
  remove NAME    forget a host with its models and run history`,
  runs: `Usage: lmstrix runs [--host NAME] [--limit N]

Recent test runs, newest first (default 20).`,
  cancel: `Usage: lmstrix cancel RUN_ID

Cancels a queued or running run; a running one aborts its probe and unloads the model.`,
  help: `Usage: lmstrix help [COMMAND]`,
};

export function usage(topic?: string): string {
  return (topic !== undefined ? COMMANDS[topic] : undefined) ?? GENERAL;
}
