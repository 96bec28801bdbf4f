// The real uWSGI (Debian's 2.0 with the python3 plugin, installed by .ci/run)
// for tests that compare mulefarm with it, and the comparison of two JSON
// documents' shapes (keys and JSON types, recursively).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { FIX } from "../lib.ts";

export interface Uwsgi { proc: ChildProcess; output(): string; stop(): Promise<void> }

/** Starts `uwsgi` with the python3 plugin, a master and `args`, in `dir`; stop() ends it (SIGINT, then SIGKILL) and waits. */
export function startUwsgi(dir: string, args: string[]): Uwsgi {
  mkdirSync(dir, { recursive: true });
  const proc = spawn("uwsgi", ["--plugin", "python3", "--master", "--chdir", join(FIX, "compat/uwsgi"), ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  return {
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGINT");
      const t = setTimeout(() => proc.kill("SIGKILL"), 10000);
      await exited;
      clearTimeout(t);
    },
  };
}

const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/**
 * Where `ours` lacks a key of `theirs` or has it with another JSON type, as
 * "path: expected T, got U" lines. Extra keys of `ours` are fine. Each element
 * of an array of `ours` is compared with the first element of `theirs`'s;
 * objects under a key in `dynamic` (uWSGI's locks: {"<name>": pid}) are
 * compared by their values' types only.
 */
export function shapeDiff(theirs: unknown, ours: unknown, path = "", dynamic = new Set<string>()): string[] {
  const [t, o] = [kind(theirs), kind(ours)];
  if (t !== o) return [`${path || "(top)"}: expected ${t}, got ${o}`];
  if (t === "array") {
    const ta = theirs as unknown[], oa = ours as unknown[];
    if (!ta.length) return [];
    if (!oa.length) return [`${path}: expected a non-empty array (uWSGI's has ${ta.length}), got []`];
    return oa.flatMap((x, i) => shapeDiff(ta[0], x, `${path}[${i}]`, dynamic));
  }
  if (t !== "object") return [];
  const to = theirs as Record<string, unknown>, oo = ours as Record<string, unknown>;
  const last = path.replace(/\[\d+\]$/, "").split(".").at(-1)!;
  if (dynamic.has(last)) {
    const want = new Set(Object.values(to).map(kind));
    return Object.entries(oo).filter(([, v]) => !want.has(kind(v))).map(([k, v]) => `${path}.${k}: expected ${[...want].join("|")}, got ${kind(v)}`);
  }
  return Object.keys(to).flatMap((k) => (k in oo ? shapeDiff(to[k], oo[k], path ? `${path}.${k}` : k, dynamic) : [`${path ? `${path}.` : ""}${k}: missing (uWSGI has ${kind(to[k])})`]));
}
