/**
 * Capabilities: what sandboxed code may do beyond pure computation. A plugin
 * declares them in its manifest; the operator grants them (`--grant
 * NAME:CAPABILITY`); a declared capability that is not granted refuses the
 * plugin at load. Light mules get exactly what the operator grants.
 *
 * | capability    | gives the guest                                      |
 * | ------------- | ---------------------------------------------------- |
 * | `log`         | `log(msg)`; `console.*` (without it: silent no-ops) |
 * | `signal`      | `signal(num)` → host.raiseSignal                    |
 * | `mule`        | `mule.send(target, msg)` → host.muleSend            |
 * | `cache`       | `cache.get/set/update` → host.cacheGet / cacheSet   |
 * | `spool`       | `spool(name, args)` → host.spool                    |
 * | `fetch:HOST`  | `fetch(url)` to HOST (any port) or HOST:PORT only   |
 * | `fs:read:DIR` | `fs.readFile(path)` for real paths inside DIR        |
 * | `env:NAME`    | `env("NAME")`                                        |
 *
 * @module
 */
import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { isLightMule, type MuleDef } from "../../core/config.ts";
import { CapabilityDenied, UsageError, refused } from "../../core/errors.ts";

/** The capability kinds (the part before the first ":"). Plugin names may not be one of these. */
export const CAPABILITY_KINDS = ["log", "signal", "mule", "cache", "spool", "fetch", "fs", "env"] as const;
/** Human-readable list used in error messages. */
export const CAPABILITY_FORMS = "log, signal, mule, cache, spool, fetch:HOST, fs:read:DIR, env:NAME";

export type Capability =
  | { kind: "log" | "signal" | "mule" | "cache" | "spool"; raw: string }
  | { kind: "fetch"; raw: string; host: string; port?: string }
  | { kind: "fs:read"; raw: string; dir: string }
  | { kind: "env"; raw: string; name: string };

const SIMPLE = new Set(["log", "signal", "mule", "cache", "spool"]);

/**
 * Parses one capability string; relative `fs:read:DIR` resolves against
 * `baseDir`. Returns null when the string is not a capability.
 */
export function parseCapability(raw: string, baseDir: string): Capability | null {
  if (typeof raw !== "string") return null;
  const s = raw.trim();
  if (SIMPLE.has(s)) return { kind: s as "log", raw: s };
  if (s.startsWith("fetch:")) {
    const hp = parseHostPort(s.slice(6));
    return hp ? { kind: "fetch", raw: s, ...hp } : null;
  }
  if (s.startsWith("fs:read:")) {
    const dir = s.slice(8);
    if (!dir || dir.includes("\0")) return null;
    return { kind: "fs:read", raw: s, dir: resolve(baseDir, dir) };
  }
  if (s.startsWith("env:")) {
    const name = s.slice(4);
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? { kind: "env", raw: s, name } : null;
  }
  return null;
}

function parseHostPort(s: string): { host: string; port?: string } | null {
  let m = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(s);
  if (m) return { host: `[${m[1].toLowerCase()}]`, port: m[2] };
  m = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)\.?(?::(\d{1,5}))?$/.exec(s);
  if (!m) return null;
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535)) return null;
  return { host: m[1].toLowerCase(), port: m[2] };
}

/**
 * Splits the operator's grant list into the capabilities for plugin `name`.
 * Each entry is `NAME:CAPABILITY` (for that plugin only) or a bare
 * `CAPABILITY` (for every plugin it is passed to). An entry is bare when it
 * starts with a capability kind and parses as a capability, so plugin names
 * must not be capability kinds (the manifest check enforces that).
 */
export function grantsFor(name: string, grants: readonly string[]): string[] {
  const out: string[] = [];
  for (const g of grants) {
    const s = g.trim();
    const i = s.indexOf(":");
    const head = i < 0 ? s : s.slice(0, i);
    if ((CAPABILITY_KINDS as readonly string[]).includes(head) && parseCapability(s, process.cwd())) out.push(s);
    else if (i > 0 && head === name) out.push(s.slice(i + 1));
  }
  return out;
}

/**
 * Checks the operator's grant list before anything gets it: each entry must
 * be a bare capability or `NAME:CAPABILITY` whose NAME is one of `plugins`
 * (manifest names) or `muleN` for a light mule N among `mules`. `plugins`
 * null: the plugins' names are not known yet (their manifests are read
 * later), so only the forms are checked. Throws UsageError naming the entry
 * and why: an entry grantsFor() would give to nobody is never silently ignored.
 */
export function checkGrants(grants: readonly string[], plugins: readonly string[] | null, mules: readonly MuleDef[]): void {
  const names = plugins && [...plugins, ...mules.filter(isLightMule).map((m) => `mule${m.id}`)];
  for (const g of grants) {
    const s = g.trim();
    const i = s.indexOf(":");
    const head = i < 0 ? s : s.slice(0, i);
    if ((CAPABILITY_KINDS as readonly string[]).includes(head)) {
      if (!parseCapability(s, process.cwd())) throw new UsageError(`--grant "${g}" is not a capability (one of ${CAPABILITY_FORMS})`);
      continue;
    }
    if (i <= 0 || i === s.length - 1) throw new UsageError(`${refused("--grant must be NAME:CAP", g)} (or a bare capability: ${CAPABILITY_FORMS})`);
    const cap = s.slice(i + 1);
    if (!parseCapability(cap, process.cwd())) throw new UsageError(`--grant ${s}: "${cap}" is not a capability (one of ${CAPABILITY_FORMS})`);
    if (names && !names.includes(head)) {
      const loaded = names.length > 12 ? `${names.slice(0, 10).join(", ")}, … (${names.length} in all)` : names.join(", ") || "none";
      throw new UsageError(`--grant ${s} names no loaded plugin or light mule (loaded: ${loaded})`);
    }
  }
}

/** True if `granted` allows what `declared` asks for. */
export function covers(granted: Capability, declared: Capability): boolean {
  if (granted.kind !== declared.kind) return false;
  switch (declared.kind) {
    case "fetch": {
      const g = granted as Extract<Capability, { kind: "fetch" }>;
      return g.host === declared.host && (g.port === undefined || g.port === declared.port);
    }
    case "fs:read":
      return isInside((granted as Extract<Capability, { kind: "fs:read" }>).dir, declared.dir);
    case "env":
      return (granted as Extract<Capability, { kind: "env" }>).name === declared.name;
    default:
      return true;
  }
}

/** `child` is `dir` or below it (lexically). */
export function isInside(dir: string, child: string): boolean {
  const rel = relative(dir, child);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel) && rel.split(sep)[0] !== "..");
}

/**
 * Refuses a plugin whose manifest asks for anything the operator did not
 * grant: CapabilityDenied naming plugin, capability and the flag to add.
 */
export function checkGranted(plugin: string, declared: Capability[], grants: Capability[]): void {
  for (const d of declared) {
    if (!grants.some((g) => covers(g, d))) {
      throw new CapabilityDenied(
        `plugin "${plugin}" asks for capability "${d.raw}" which was not granted (use --grant ${plugin}:${d.raw})`,
      );
    }
  }
}

/** The capabilities a guest holds, with the runtime checks the host functions use. */
export class CapabilitySet {
  readonly list: readonly Capability[];
  private readonly realDirs: string[];

  constructor(caps: Capability[]) {
    this.list = caps;
    this.realDirs = caps
      .filter((c): c is Extract<Capability, { kind: "fs:read" }> => c.kind === "fs:read")
      .map((c) => { try { return realpathSync(c.dir); } catch { return c.dir; } });
  }

  has(kind: Capability["kind"]): boolean {
    return this.list.some((c) => c.kind === kind);
  }

  /** The `fetch:` capability that allows `url`, or null. Only http(s). */
  fetchAllows(url: URL): boolean {
    if (url.protocol !== "http:" && url.protocol !== "https:") return false;
    const host = url.hostname.toLowerCase().replace(/\.$/, "");
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    return this.list.some((c) => c.kind === "fetch" && c.host === host && (c.port === undefined || c.port === port));
  }

  envAllows(name: string): boolean {
    return this.list.some((c) => c.kind === "env" && c.name === name);
  }

  /** Real (symlink-resolved) directories readable through `fs:read`. */
  get readDirs(): readonly string[] {
    return this.realDirs;
  }
}
