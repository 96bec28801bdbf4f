// What a child says when its code cannot load: one line naming the file
// and the reason, the same on Bun and Deno, which report these failures
// differently (Deno's message spans lines, with "at file:///...:L:C" at its
// end; Bun's errors carry fields: position, specifier, referrer).
//
// @example
// describeLoadError(e); // "cannot load /app/main.ts: cannot find module /app/missing.ts"
import { dirname, resolve } from "node:path";
import { MulefarmError, oneLine } from "../errors.ts";
import { url } from "../base/lazy-builtins.ts";

const ANSI = /\x1b\[[0-9;]*m/g;

/** One line: what failed and where (a syntax error's file:line:column, the module that cannot be found, or the first user frame). */
export function describeLoadError(e: unknown): string {
  if (e instanceof MulefarmError) return e.message;
  let err = e as any;
  // Bun reports several build errors as one AggregateError: the first names the file and line.
  if (Array.isArray(err?.errors) && err.errors[0]?.position) err = err.errors[0];
  const pos = err?.position;
  if (pos?.file) return `cannot load ${pos.file}:${pos.line}:${pos.column}: ${err.message}`;
  if (err?.name === "ResolveMessage" && typeof err.specifier === "string" && typeof err.referrer === "string") {
    return `cannot load ${err.referrer}: cannot find ${moduleName(err.specifier, err.referrer)}`;
  }
  const msg = String(err?.message ?? "").replace(ANSI, "");
  const at = /\n\s*at (file:\/\/\S+?):(\d+):(\d+)\s*$/.exec(msg);
  if (at) {
    const file = url().fileURLToPath(at[1]);
    const first = msg.split("\n")[0];
    const syntax = /^SyntaxError: (.*)$/.exec(first);
    if (syntax) return `cannot load ${file}:${at[2]}:${at[3]}: ${syntax[1]}`;
    const missing = /^Module not found "(.+?)"/.exec(first) ?? /^Import "(.+?)" not a dependency/.exec(first) ?? /^Relative import path "(.+?)" not prefixed/.exec(first);
    if (missing) return `cannot load ${file}: cannot find ${moduleName(missing[1], file)}`;
  }
  const frame = typeof err?.stack === "string" ? err.stack.replace(ANSI, "").split("\n").find((l: string) => /\bat\b.*(\/|file:)/.test(l) && !l.includes("/$bunfs/") && !l.includes("/core/") && !l.includes("/plugins/")) : undefined;
  // file:line only: the runtimes disagree on the column of a throw.
  const where = frame ? ` (${frame.trim().replace(/^at\s+/, "").replace(/^(?:async )?(?:\S+ \()?(?:file:\/\/)?([^()]+?):(\d+):\d+\)?$/, "$1:$2")})` : "";
  return `failed to start: ${oneLine(e)}${where}`;
}

/** A module file by its absolute path, a package by its name. */
function moduleName(spec: string, referrer: string): string {
  if (spec.startsWith("file://")) return `module ${url().fileURLToPath(spec)}`;
  if (spec.startsWith(".") || spec.startsWith("/")) return `module ${resolve(dirname(referrer), spec)}`;
  return `package "${spec}"`;
}

/** Whether `e` says the code cannot even be parsed or resolved (a start-up error, not a crash to respawn). */
export function isUnloadable(e: unknown): boolean {
  const err = e as any;
  const name = err?.name;
  const msg = String(err?.message ?? "");
  return !!err?.position || (Array.isArray(err?.errors) && !!err.errors[0]?.position) || err?.code === "ERR_MODULE_NOT_FOUND" ||
    ["SyntaxError", "BuildMessage", "ResolveMessage"].includes(name) ||
    /^SyntaxError|Module not found|Cannot find (module|package)|\d+ errors? building|not a dependency|Relative import path/.test(msg); // Deno's and Bun's wordings
}
