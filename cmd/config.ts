// Option entries (ini files, then the command line) → one validated Config.
// Single-valued options: the last value wins, so the command line overrides
// ini files. Repeatable options accumulate in order, as in uWSGI.
import { existsSync } from "node:fs";
import { UsageError, refused } from "../core/errors.ts";
import { SYNC_MODES, type SyncMode } from "../core/spooler/store.ts";
import { type Config, type FarmDef, type MuleDef, parseAddr } from "../core/config.ts";
// capabilities.ts alone (pure), not the sandbox's index.ts, which loads QuickJS.
import { checkGrants } from "../plugins/sandbox/capabilities.ts";
import { type Entry, boolText, parseArgv } from "./args.ts";
import { type IniLine, readIni } from "./ini.ts";
import { findOption, MAX_MULES, MAX_SECONDS, nearestOption, type OptionDef, OPTIONS } from "./options.ts";

/** `preloaded`: ini lines already read for some --ini values (embedded files, read asynchronously). */
export function parseCommandLine(argv: string[], env: Record<string, string | undefined> = process.env, preloaded: Map<string, IniLine[]> = new Map()): Config {
  const cli = parseArgv(argv);
  const entries: Entry[] = [];
  const opt: Record<string, string | string[] | boolean> = {};
  const iniNotes: string[] = [];
  // ini files first (in order), then the command line.
  for (const e of cli) {
    if (e.def.name !== "ini") continue;
    for (const line of preloaded.get(e.value) ?? readIni(e.value, env)) {
      const def = findOption(line.key);
      if (!def) {
        // uWSGI treats unknown ini keys as custom placeholders: kept in opt.
        // One that is an option's name misspelt (`proceses`) is most likely
        // meant as that option: say so, since nothing else would.
        opt[line.key] = line.value;
        const near = nearestOption(line.key);
        if (near) iniNotes.push(`${line.where}: "${line.key}" is no option (did you mean "${near}"?): kept as a placeholder`);
        continue;
      }
      if (def.name === "ini") throw new UsageError(`${line.where}: nested "ini" is not supported`);
      const value = def.kind === "flag" ? boolText(def, line.value) : line.value;
      entries.push({ def, value, from: line.where });
    }
  }
  for (const e of cli) if (e.def.name !== "ini") entries.push(e);
  const cfg = buildConfig(entries, opt, cli.filter((e) => e.def.name === "ini").map((e) => e.value));
  cfg.notes.unshift(...iniNotes);
  return cfg;
}

function buildConfig(entries: Entry[], opt: Record<string, string | string[] | boolean>, iniFiles: string[]): Config {
  const single = new Map<string, Entry>();
  const multi = new Map<string, Entry[]>();
  const mules: MuleDef[] = [];
  for (const e of entries) {
    const name = e.def.name;
    if (name === "mule") mules.push({ id: mules.length + 1, spec: e.value === "" || e.value === "true" ? null : e.value });
    else if (name === "sandbox-mule") mules.push({ id: mules.length + 1, spec: `sandbox:${e.value}` });
    else if (name === "mules") {
      const n = toInt(e.def, e.value, 0);
      if (mules.length + n > MAX_MULES) throw new UsageError(`--mules ${n} makes ${mules.length + n} mules: at most ${MAX_MULES} in all`);
      for (let i = 0; i < n; i++) mules.push({ id: mules.length + 1, spec: null });
    }
    if (mules.length > MAX_MULES) throw new UsageError(`--${name} makes ${mules.length} mules: at most ${MAX_MULES} in all`);
    // A path, spec or address given as "" (`--spooler=`, `spooler =` in an ini) is a mistake, never "here" or "none".
    if (e.def.kind === "value" && e.def.type === "string" && e.value.trim() === "") {
      throw new UsageError(`--${name} needs a value${e.def.arg ? ` (${e.def.arg})` : ""}: got ""`);
    }
    if (e.def.multiple) {
      if (!multi.has(name)) multi.set(name, []);
      multi.get(name)!.push(e);
      const prev = opt[name];
      opt[name] = Array.isArray(prev) ? [...prev, e.value] : [e.value];
    } else {
      single.set(name, e);
      opt[name] = e.def.kind === "flag" ? e.value === "true" : e.value;
    }
  }

  const str = (n: string) => single.get(n)?.value;
  const num = (n: string) => {
    const e = single.get(n);
    const def = findOption(n)!;
    if (!e) return def.default as number | undefined;
    return convert(def, e.value) as number;
  };
  const flag = (n: string) => single.get(n)?.value === "true";
  const list = (n: string) => (multi.get(n) ?? []).map((e) => e.value);
  for (const e of single.values()) if (e.def.kind !== "flag") convert(e.def, e.value);

  const farms: FarmDef[] = list("farm").map((v) => parseFarm(v, mules.length));
  for (let i = 1; i < farms.length; i++) {
    if (farms.slice(0, i).some((f) => f.name === farms[i].name)) throw new UsageError(`--farm ${farms[i].name} is given twice: list all its mules in one --farm ${farms[i].name}:ID[,ID...]`);
  }
  const httpAddr = str("http");
  const cfg: Config = {
    http: httpAddr ? parseAddr("http", httpAddr) : undefined,
    processes: num("processes")!,
    module: str("module"),
    imports: list("import"),
    spoolerImports: list("spooler-import"),
    spoolerChdir: str("spooler-chdir"),
    spoolerSignalAsTask: flag("spooler-signal-as-task"),
    chdir: str("chdir"),
    pidfile: str("pidfile"),
    env: list("env"),
    reloadMercy: num("reload-mercy")!,
    harakiri: num("harakiri"),
    maxRequests: num("max-requests"),
    reloadOnRss: num("reload-on-rss"),
    maxWorkerLifetime: num("max-worker-lifetime"),
    maxWorkerLifetimeDelta: num("max-worker-lifetime-delta"),
    muleReloadOnRss: num("mule-reload-on-rss"),
    spoolerReloadOnRss: num("spooler-reload-on-rss"),
    logRequests: flag("log-requests"),
    backgroundNice: niceValue(num("background-nice")!),
    mules,
    farms,
    muleQueue: num("mule-queue")!,
    muleSendTimeout: num("mule-send-timeout")!,
    muleMsgSize: num("mule-msg-size")!,
    muleMaxRedeliveries: num("mule-max-redeliveries")!,
    signalMaxRedeliveries: num("signal-max-redeliveries")!,
    muleHarakiri: num("mule-harakiri"),
    spoolers: list("spooler"),
    spoolerProcesses: num("spooler-processes")!,
    spoolerFrequency: num("spooler-frequency")!,
    spoolerMaxTasks: num("spooler-max-tasks"),
    spoolerCheap: flag("spooler-cheap"),
    queueBlocksize: num("queue-blocksize"),
    exitOnReload: flag("exit-on-reload"),
    spoolerExternal: list("spooler-external"),
    masterFifo: str("master-fifo"),
    spoolerHarakiri: num("spooler-harakiri"),
    spoolerOrdered: flag("spooler-ordered"),
    spoolerSync: syncMode(str("spooler-sync")),
    timers: list("timer"),
    rbtimers: list("rbtimer"),
    fsSignals: list("fs-signal"),
    touchSignals: list("touch-signal"),
    touchReloads: ([["touch-reload", null], ["touch-workers-reload", ["worker"]], ["touch-mules-reload", ["mule", "mulehost"]], ["touch-spoolers-reload", ["spooler"]]] as const)
      .flatMap(([option, roles]) => list(option).map((path) => ({ option, path, roles: roles ? [...roles] : null }))),
    fsReloads: list("fs-reload"),
    crons: list("cron"),
    cron2s: list("cron2"),
    logto: str("logto"),
    logReopen: flag("log-reopen"),
    cronHarakiri: num("cron-harakiri"),
    locks: num("locks")!,
    cache2: list("cache2"),
    sharedarea: num("sharedarea"),
    queue: num("queue"),
    rpc: str("rpc"),
    stats: str("stats"),
    statsHttp: flag("stats-http"),
    ...pluginsAndNotes(list("plugin"), Object.fromEntries(["threads", "buffer-size", "listen", "signal-bufsize", "cheaper", "cheaper-initial", "cheaper-step", "worker-reload-mercy", "mule-reload-mercy", "check-interval", "forkbomb-delay"].map((n) => [n, num(n)]))),
    grants: list("grant"),
    iniFiles,
    help: flag("help"),
    version: flag("version"),
    opt,
  };
  for (const e of cfg.env) if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(e)) throw new UsageError(`--env must be KEY=VALUE: got "${e}"`);
  if (cfg.queueBlocksize !== undefined && (cfg.queueBlocksize % 8 !== 0 || cfg.queueBlocksize <= 16)) {
    throw new UsageError(`--queue-blocksize must be a multiple of 8 larger than 16: got "${cfg.queueBlocksize}"`);
  }
  // Without plugins every NAME a grant may give to is known now: the light
  // mules. With plugins, their names are checked once their manifests are read.
  checkGrants(cfg.grants, cfg.plugins.length ? null : [], mules);
  // uWSGI settings mulefarm cannot honour, where going on would surprise: refused by name.
  for (const name of ["socket", "uid", "gid"]) {
    const v = name === "socket" ? list(name)[0] : str(name);
    if (v !== undefined) throw new UsageError(`--${name} ${v} is not supported: ${findOption(name)!.help.replace(/^refused: /, "")}`);
  }
  return cfg;
}

/**
 * uWSGI ini files say `plugins = python3,http`: those name uWSGI's own
 * plugins (a bare word, no file of that name), which mulefarm does not need;
 * they are dropped with a note. Anything else is a mulefarm plugin spec.
 * `ignored`: uWSGI settings taken but without effect here, one note each.
 */
function pluginsAndNotes(values: string[], ignored: Record<string, number | undefined>): { plugins: string[]; notes: string[] } {
  const plugins: string[] = [], notes: string[] = [];
  for (const v of values.flatMap((x) => (/^[\w,\s]+$/.test(x) ? x.split(",") : [x])).map((x) => x.trim()).filter(Boolean)) {
    if (/^\w+$/.test(v) && !existsSync(v)) notes.push(`--plugin ${v}: a uWSGI plugin name, not a mulefarm plugin file: ignored (the runtime is built in)`);
    else plugins.push(v);
  }
  for (const [name, value] of Object.entries(ignored)) {
    if (value !== undefined) notes.push(`--${name} ${value}: ignored (${findOption(name)!.help.replace(/^ignored with a note: /, "")})`);
  }
  return { plugins, notes };
}

function convert(def: OptionDef, v: string): number | string {
  switch (def.type) {
    case "posint": return toInt(def, v, 1);
    case "int": return toInt(def, v, 0);
    case "number": {
      // Plain decimals only: Number() would also take "0x10", "1e3" and " ".
      const n = Number(v);
      if (!/^\s*(\d+\.?\d*|\.\d+)\s*$/.test(v) || !Number.isFinite(n)) throw new UsageError(`--${def.name} must be a non-negative number: got "${v}"`);
      if (n > MAX_SECONDS) throw new UsageError(`--${def.name} must be at most ${MAX_SECONDS} seconds (24 days): got "${v}"`);
      return n;
    }
    default: return v;
  }
}

function toInt(def: OptionDef, v: string, min: number): number {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${def.name} must be a ${min >= 1 ? "positive" : "non-negative"} integer: got "${v}"`);
  }
  if (def.max !== undefined && n > def.max) throw new UsageError(`--${def.name} must be at most ${def.max}: got "${v}"`);
  return n;
}

function syncMode(v: string | undefined): SyncMode {
  const mode = v ?? "always";
  if (!(SYNC_MODES as readonly string[]).includes(mode)) throw new UsageError(refused("--spooler-sync must be always, batch or none", mode));
  return mode as SyncMode;
}

function niceValue(n: number): number {
  if (n > 19) throw new UsageError(refused("--background-nice must be 0..19", n));
  return n;
}

function parseFarm(v: string, muleCount: number): FarmDef {
  const i = v.indexOf(":");
  if (i <= 0) throw new UsageError(`--farm must be NAME:ID[,ID...]: got "${v}"`);
  const name = v.slice(0, i);
  const ids = v.slice(i + 1).split(",").map((s) => s.trim()).filter(Boolean);
  if (!ids.length) throw new UsageError(`--farm ${name} lists no mule ids: got "${v}"`);
  const mules = ids.map((s) => {
    const n = Number(s);
    if (!/^\d+$/.test(s) || n < 1 || n > muleCount) {
      throw new UsageError(`--farm ${name}: no mule with id ${s} (there ${muleCount === 1 ? "is 1 mule" : `are ${muleCount} mules`})`);
    }
    return n;
  });
  return { name, mules: [...new Set(mules)] };
}

export { OPTIONS };
