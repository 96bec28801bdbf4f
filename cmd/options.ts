// The option table: every option mulefarm takes, with uWSGI's names. The
// parser, the ini reader, --help and validation are all driven from it.

export type Kind = "flag" | "value" | "optional";
export type Type = "string" | "int" | "posint" | "number" | "addr" | "bool" | "size";

export interface OptionDef {
  name: string;
  kind: Kind; //       flag: no value; value: needs one; optional: `--mule` or `--mule=x`
  type: Type;
  group: string;
  help: string;
  multiple?: boolean; // repeatable, values accumulate
  aliases?: string[];
  short?: string;
  default?: string | number | boolean;
  arg?: string; //     placeholder in --help
  max?: number; //     largest value of an int/posint option (numbers, in seconds, are bounded by MAX_SECONDS)
}

/** Largest value of an option in seconds (see core/config.ts). */
export { MAX_SECONDS } from "../core/config.ts";
/** Most mules an instance can have: mule ids travel as 16-bit numbers in the IPC frames. */
export const MAX_MULES = 65535;

const o = (name: string, kind: Kind, type: Type, group: string, help: string, extra: Partial<OptionDef> = {}): OptionDef =>
  ({ name, kind, type, group, help, ...extra });

export const OPTIONS: OptionDef[] = [
  o("help", "flag", "bool", "general", "show this help and exit", { short: "h" }),
  o("version", "flag", "bool", "general", "print the version and exit"),
  o("ini", "value", "string", "general", "read options from an ini file ([uwsgi] or [mulefarm] section)", { multiple: true, arg: "FILE" }),
  o("master", "flag", "bool", "general", "accepted for uWSGI compatibility: the master is always on"),
  o("pidfile", "value", "string", "general", "write the master's pid to FILE", { arg: "FILE" }),
  o("reload", "value", "string", "general", "reload gracefully the instance whose master pid is in PIDFILE (SIGHUP), then exit", { arg: "PIDFILE" }),
  o("stop", "value", "string", "general", "stop gracefully the instance whose master pid is in PIDFILE (SIGTERM), then exit", { arg: "PIDFILE" }),
  o("master-fifo", "value", "string", "general", "read one-letter commands from the FIFO at PATH (made if absent): r/R reload, w/W/c reload the workers one at a time, q/Q stop, s stats to the log", { arg: "PATH" }),
  o("exit-on-reload", "flag", "bool", "general", "on a full reload (SIGHUP, reload, --touch-reload, FIFO r) stop gracefully with exit 0 instead, for a process manager that starts the instance again"),
  o("chdir", "value", "string", "general", "change to DIR before loading anything", { arg: "DIR" }),
  o("import", "value", "string", "general", "load a module in every worker, mule and spooler first", { multiple: true, arg: "SPEC", aliases: ["shared-import"] }),
  o("env", "value", "string", "general", "set an environment variable for every process", { multiple: true, arg: "KEY=VALUE" }),
  o("reload-mercy", "value", "number", "general", "seconds a child gets to finish in-flight work on stop/reload", { default: 10, arg: "S" }),
  o("daemonize", "value", "string", "general", "run in the background (a new session) and log to FILE", { arg: "FILE" }),
  o("logto", "value", "string", "general", "append the instance's log (the master's lines, every child's output, cron commands' output) to FILE", { arg: "FILE" }),
  o("log-reopen", "flag", "bool", "general", "reopen the --logto file on each reload (after logrotate moved it)"),
  o("disable-logging", "flag", "bool", "general", "no per-request log lines (the default; accepted for compatibility)"),
  o("log-requests", "flag", "bool", "general", "log one line per HTTP request"),
  o("background-nice", "value", "int", "general", "nice (0..19) of each process's JIT and allocator threads, so they yield to event loops; 0: unchanged (Bun on Linux)", { default: 10, arg: "N" }),

  o("http", "value", "addr", "http", "serve HTTP on ADDR (:8080, 127.0.0.1:8080)", { arg: "ADDR", aliases: ["http-socket"] }),
  o("processes", "value", "posint", "http", "number of HTTP worker processes", { max: 4096, aliases: ["workers"], short: "p", default: 1, arg: "N" }),
  o("module", "value", "string", "http", "the app: file.ts (default export) or file.ts:name", { aliases: ["wsgi-file"], arg: "SPEC" }),
  o("harakiri", "value", "number", "http", "kill and respawn a worker whose request runs longer than S seconds", { arg: "S" }),
  o("max-requests", "value", "posint", "http", "recycle a worker after N requests", { arg: "N" }),
  o("reload-on-rss", "value", "posint", "http", "recycle a worker (gracefully) whose RSS is over MB megabytes, looked at every second (PM2's max_memory_restart)", { arg: "MB" }),
  o("max-worker-lifetime", "value", "number", "http", "recycle a worker (gracefully) after S seconds of life", { arg: "S" }),
  o("max-worker-lifetime-delta", "value", "number", "http", "add (worker id − 1) × S seconds to --max-worker-lifetime, so workers are not all recycled at once", { arg: "S" }),

  o("mule", "optional", "string", "mules", "add a mule: no value = signal-only, SPEC = programmed (script.ts, mod.ts:fn, pkg.mod:fn)", { multiple: true, arg: "SPEC" }),
  o("sandbox-mule", "value", "string", "mules", "add a sandboxed light mule (QuickJS, in a shared host process): same as --mule=sandbox:SPEC", { multiple: true, arg: "SPEC" }),
  o("mules", "value", "int", "mules", "add N signal-only mules", { arg: "N" }),
  o("farm", "value", "string", "mules", "group mules into a farm: NAME:ID[,ID...]", { multiple: true, arg: "NAME:IDS" }),
  o("mule-queue", "value", "posint", "mules", "bound of each mule, farm and shared queue, in messages", { default: 65536, arg: "N" }),
  o("mule-send-timeout", "value", "number", "mules", "seconds a send waits on a full queue before QueueFull", { default: 10, arg: "S" }),
  o("mule-max-redeliveries", "value", "int", "mules", "deliver a message whose mule died holding it again at most N times, then park it (mulefarm mule parked|resend)", { max: 1000, default: 2, arg: "N" }),
  o("mule-msg-size", "value", "posint", "mules", "largest mule message in bytes", { max: 32 * 1024 * 1024, default: 65536, arg: "BYTES" }),
  o("mule-harakiri", "value", "number", "mules", "kill a mule whose signal handler runs longer than S seconds", { arg: "S" }),
  o("mule-reload-on-rss", "value", "posint", "mules", "recycle a mule (gracefully: its queued messages wait for its successor) whose RSS is over MB megabytes, looked at every second", { arg: "MB" }),

  o("spooler", "value", "string", "spooler", "run a spooler on DIR", { multiple: true, arg: "DIR" }),
  o("spooler-processes", "value", "posint", "spooler", "processes per spooler", { max: 4096, default: 1, arg: "N" }),
  o("spooler-frequency", "value", "number", "spooler", "idle rescan interval in seconds (new tasks never wait for it)", { default: 30, arg: "S", aliases: ["spooler-freq"] }),
  o("spooler-max-tasks", "value", "posint", "spooler", "recycle a spooler process after N tasks", { arg: "N" }),
  o("spooler-harakiri", "value", "number", "spooler", "kill a task that runs longer than S seconds (a failed attempt)", { arg: "S" }),
  o("spooler-reload-on-rss", "value", "posint", "spooler", "recycle a spooler process (after its task in hand) whose RSS is over MB megabytes, looked at every second", { arg: "MB" }),
  o("spooler-cheap", "flag", "bool", "spooler", "no resident spoolers (uWSGI 2.1): a spooler process exits after 2 s with nothing due and starts again when a task is written or falls due"),
  o("spooler-external", "value", "string", "spooler", "a spool dir this instance may spool to (spool(..., { spooler: DIR })) but does not run: another instance's --spooler DIR runs it on its next scan (its --spooler-frequency)", { multiple: true, arg: "DIR" }),
  o("spooler-import", "value", "string", "spooler", "load a module in the spoolers only (after --import)", { multiple: true, arg: "SPEC", aliases: ["spooler-python-import"] }),
  o("spooler-chdir", "value", "string", "spooler", "change to DIR before each task (and back after it)", { arg: "DIR" }),
  o("spooler-signal-as-task", "flag", "bool", "spooler", "count each handled signal as a task for --spooler-max-tasks (uWSGI 2.1)"),
  o("spooler-sync", "value", "string", "spooler", "when spool() resolves: always (task and directory fsynced), batch (fsynced, concurrent calls share the fsync in flight) or none (written, not fsynced: survives any process crash, not a power cut; uWSGI's level)", { default: "always", arg: "always|batch|none" }),
  o("spooler-ordered", "flag", "bool", "spooler", "strict priority then enqueue order (always the case in mulefarm; accepted for compatibility)"),

  o("signal-max-redeliveries", "value", "int", "signals", "hand a signal whose target died before finishing it to the successor at most N times, then park it", { max: 1000, default: 1, arg: "N" }),
  o("timer", "value", "string", "signals", "raise signal SIG every S seconds: \"SIG S\"", { multiple: true, arg: "\"SIG S\"", aliases: ["signal-timer"] }),
  o("rbtimer", "value", "string", "signals", "raise signal SIG every S seconds, as a red-black timer (uWSGI's 1 s resolution; here the same ms clock as --timer)", { multiple: true, arg: "\"SIG S\"" }),
  o("fs-signal", "value", "string", "signals", "raise signal SIG when PATH (file or directory) changes; a burst within 100 ms is one signal", { multiple: true, arg: "\"PATH SIG\"" }),
  o("touch-signal", "value", "string", "signals", "raise signal SIG when FILE's mtime changes (checked every second; a missing file fires once created)", { multiple: true, arg: "\"FILE SIG\"" }),
  o("touch-reload", "value", "string", "general", "reload gracefully when FILE's mtime changes (checked every second; a missing file fires once created)", { multiple: true, arg: "FILE" }),
  o("touch-workers-reload", "value", "string", "general", "as --touch-reload, reloading only the workers (one at a time)", { multiple: true, arg: "FILE", aliases: ["touch-chain-reload"] }),
  o("touch-mules-reload", "value", "string", "general", "as --touch-reload, reloading only the mules (sandboxed light mules' host included)", { multiple: true, arg: "FILE" }),
  o("touch-spoolers-reload", "value", "string", "general", "as --touch-reload, reloading only the spoolers (a task in hand is finished first, within --reload-mercy)", { multiple: true, arg: "FILE" }),
  o("fs-reload", "value", "string", "general", "reload gracefully when PATH (file or directory) changes; a burst within 100 ms is one reload", { multiple: true, arg: "PATH" }),
  o("cron", "value", "string", "signals", "run a shell command on a schedule: \"MIN HOUR DAY MON WDAY COMMAND\" (uWSGI's -1/-N), or a crontab string (5 fields, 6 with seconds, @daily; CRON_TZ=Zone first) then COMMAND; a run is skipped while the previous one is still running (uWSGI's --unique-cron)", { multiple: true, arg: "SPEC", aliases: ["unique-cron"] }),
  o("cron2", "value", "string", "signals", "uWSGI's key=value cron: \"minute=M,hour=H,day=D,month=MON,week=W[,unique=0|1][,harakiri=S][,second=S] COMMAND\" (left-out fields are -1; no keys: every minute)", { multiple: true, arg: "SPEC" }),
  o("cron-harakiri", "value", "number", "signals", "kill a cron command that runs longer than S seconds", { arg: "S" }),

  o("locks", "value", "int", "shared", "create locks 1..N (lock 0 always exists)", { max: 1_000_000, default: 0, arg: "N" }),
  o("cache2", "value", "string", "shared", "a shared cache: name=NAME,items=N[,blocksize=B][,expires=S]", { multiple: true, arg: "SPEC" }),
  o("sharedarea", "value", "posint", "shared", "a shared memory area of N pages", { max: 2 ** 28, arg: "PAGES" }),
  o("queue", "value", "posint", "shared", "a shared queue of N slots", { max: 500_000, arg: "N" }),
  o("queue-blocksize", "value", "posint", "shared", "bytes per shared queue slot, a multiple of 8 (an item is at most that minus a small header)", { default: 8192, max: 64 * 1024 * 1024, arg: "BYTES" }),
  o("rpc", "value", "addr", "shared", "answer RPC calls from other instances on ADDR (loopback)", { arg: "ADDR" }),

  o("stats", "value", "string", "stats", "stats server on ADDR (host:port or a unix socket path)", { arg: "ADDR", aliases: ["stats-server"] }),
  o("stats-http", "flag", "bool", "stats", "answer the stats server over HTTP: the JSON document, and GET /metrics in Prometheus text format (counters, gauges, latency histograms)"),

  o("plugin", "value", "string", "plugins", "load a sandboxed plugin (a .ts/.js file); uWSGI's plugin names (python3, http, ...) are ignored with a note", { multiple: true, arg: "SPEC", aliases: ["plugins"] }),
  o("grant", "value", "string", "plugins", "grant a capability to a plugin or light mule: NAME:CAP (muleN:CAP), or a bare CAP for all; a NAME that is no loaded plugin or light mule stops the start", { multiple: true, arg: "NAME:CAP" }),
  // uWSGI options whose effect is mulefarm's behaviour anyway, accepted so that ported ini files and command lines run.
  ...["vacuum", "die-on-term", "enable-threads", "thunder-lock", "single-interpreter", "need-app", "lazy-apps", "lazy", "no-orphans", "auto-procname", "memory-report", "spooler-quiet", "stats-minified"].map((n) =>
    o(n, "flag", "bool", "compat", "no effect")),
  o("threads", "value", "posint", "compat", "ignored with a note: each worker is one event loop (use --processes)", { arg: "N" }),
  o("buffer-size", "value", "posint", "compat", "ignored with a note: request headers are limited by the HTTP server (Bun/Deno), not by a buffer", { arg: "N" }),
  o("cheaper", "value", "int", "compat", "ignored with a note: all --processes workers run all the time (no adaptive spawning)", { arg: "N" }),
  o("cheaper-initial", "value", "int", "compat", "ignored with a note: all --processes workers start at once", { arg: "N" }),
  o("cheaper-step", "value", "int", "compat", "ignored with a note: all --processes workers run all the time", { arg: "N" }),
  o("worker-reload-mercy", "value", "int", "compat", "ignored with a note: --reload-mercy applies to every process", { arg: "S" }),
  o("mule-reload-mercy", "value", "int", "compat", "ignored with a note: --reload-mercy applies to every process", { arg: "S" }),
  o("check-interval", "value", "posint", "compat", "ignored with a note: the master reacts to events, it has no check cycle", { arg: "S" }),
  o("forkbomb-delay", "value", "posint", "compat", "ignored with a note: a child that keeps dying is respawned with back-off (100 ms doubling to 10 s)", { arg: "S" }),
  o("listen", "value", "posint", "compat", "ignored with a note: the kernel's default backlog applies", { arg: "N" }),
  o("signal-bufsize", "value", "posint", "compat", "ignored with a note: each target's signal queue holds 65,536 and refuses more (SignalQueueFull)", { arg: "N" }),
  o("socket", "value", "string", "compat", "refused: the uwsgi protocol is not served; use --http (nginx: proxy_pass)", { arg: "ADDR", aliases: ["uwsgi-socket"], multiple: true }),
  o("uid", "value", "string", "compat", "refused: run mulefarm as that user (systemd User=, su, docker --user)", { arg: "USER" }),
  o("gid", "value", "string", "compat", "refused: run mulefarm as that group", { arg: "GROUP" }),
];

const byName = new Map<string, OptionDef>();
const byShort = new Map<string, OptionDef>();
for (const def of OPTIONS) {
  byName.set(def.name, def);
  for (const a of def.aliases ?? []) byName.set(a, def);
  if (def.short) byShort.set(def.short, def);
}

export function findOption(name: string): OptionDef | undefined {
  return byName.get(name);
}
// uWSGI options of its Python plugin that appear in real inis and are near one of ours by accident.
const NOT_MISSPELT = new Set(["venv", "virtualenv", "pythonpath", "callable", "home"]);

/** The option name closest to a misspelt `name` (one edit; two for names of 7+ letters), for "did you mean". */
export function nearestOption(name: string): string | undefined {
  if (name.length < 4 || NOT_MISSPELT.has(name)) return undefined;
  let best: string | undefined, bestD = name.length >= 7 ? 3 : 2;
  for (const n of byName.keys()) {
    const d = editDistance(name, n, bestD);
    if (d < bestD) { best = n; bestD = d; }
  }
  return best;
}

/** Optimal string alignment distance (a swap of two neighbours is one edit), stopping early past `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev2: number[] = [], prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

export function findShort(ch: string): OptionDef | undefined {
  return byShort.get(ch);
}

export const GROUPS: Record<string, string> = {
  general: "General",
  http: "HTTP workers",
  mules: "Mules and farms",
  spooler: "Spooler",
  signals: "Signals, timers and cron",
  shared: "Shared services",
  stats: "Stats",
  plugins: "Plugins",
  compat: "Accepted for uWSGI compatibility",
};
