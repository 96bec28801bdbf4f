/**
 * TypeScript → JavaScript for code that runs inside the QuickJS sandbox.
 *
 * - Bun (from source and in the compiled binary): `Bun.Transpiler` (µs per
 *   file, nothing to ship).
 * - Deno / Node: the native `esbuild` package from node_modules
 *   (`transformSync`; ~1 ms per file after an ~80 ms first call), loaded on
 *   first use by {@link ensureTranspiler}. If it does
 *   not load, {@link transpile} throws {@link TranspilerUnavailable} naming
 *   the cause; plain `.js`/`.mjs` files still work because they are passed
 *   through untouched.
 *
 * The transform is synchronous because QuickJS's module loader (used for a
 * plugin's relative imports) is synchronous.
 *
 * @module
 */
import { TranspilerUnavailable, UsageError } from "../../core/errors.ts";
import { hostRuntime } from "./quickjs.ts";
import { nativeTranspiler } from "../../core/adapter/transpiler.ts";

export { TranspilerUnavailable };

const JS_EXT = /\.(m|c)?js$/i;

type Transform = (source: string, filename: string) => string;
let impl: Transform | undefined;
let loadError: string | undefined;

if (nativeTranspiler) impl = nativeTranspiler.transform;

let loading: Promise<void> | undefined;

/**
 * Loads the transpiler if it needs loading (esbuild under Deno/Node, ~50 ms,
 * done lazily so that importing the sandbox costs nothing). loadPlugin and
 * createLightMule call it; call it yourself before using {@link transpile}
 * directly. Never throws: a failure is reported by transpile().
 */
export function ensureTranspiler(): Promise<void> {
  if (impl) return Promise.resolve();
  loading ??= (async () => {
    try {
      // A computed specifier: Bun's bundler must not pull esbuild into the
      // compiled binary (it cannot run there); Deno resolves it from node_modules.
      const name = "esbuild";
      const esbuild: any = await import(name);
      const transformSync = esbuild.transformSync ?? esbuild.default?.transformSync;
      if (typeof transformSync !== "function") throw new Error("the esbuild module has no transformSync");
      impl = (src, file) =>
        transformSync(src, { loader: file.endsWith(".tsx") ? "tsx" : "ts", format: "esm", target: "es2022", sourcefile: file }).code;
    } catch (e) {
      loadError = e instanceof Error ? e.message.split("\n")[0] : String(e);
    }
  })();
  return loading;
}

/** The transpiler in use: "Bun.Transpiler", "esbuild", or null if none loaded. */
export function transpilerName(): string | null {
  if (!impl) return null;
  return nativeTranspiler ? nativeTranspiler.name : "esbuild";
}

/**
 * Returns `source` as JavaScript (an ES module). `.js`/`.mjs`/`.cjs` files
 * are returned unchanged. Syntax errors throw a UsageError naming the file.
 */
export function transpile(source: string, filename: string): string {
  if (JS_EXT.test(filename)) return source;
  if (!impl) {
    throw new TranspilerUnavailable(
      `cannot transpile ${filename} for the sandbox: no TypeScript transpiler in ${hostRuntime()} ` +
        (loadError === undefined
          ? "(call ensureTranspiler() first)"
          : `(the native esbuild package failed to load: ${loadError}); install esbuild or give the plugin as .js`),
    );
  }
  try {
    return impl(source, filename);
  } catch (e) {
    throw new UsageError(`TypeScript syntax error: ${syntaxErrorAt(e, source, filename)}`);
  }
}

/**
 * The first error of a failed transform as `FILE:LINE:COLUMN: reason`, the
 * same from both transpilers (LINE and COLUMN 1-based, COLUMN in characters).
 * Bun.Transpiler throws a BuildMessage or, for several, an AggregateError of
 * them, each with `position` (`offset` in bytes; its line and column are
 * clamped to the last line at end of file); esbuild throws an Error whose
 * `errors[i]` are `{ text, location }` (column 0-based, in bytes). Only the
 * first error is named: the rest are usually consequences of it, on which the
 * two parsers disagree. Bun's wordings that differ from esbuild's (whose
 * parser it ports) are given in esbuild's words.
 */
export function syntaxErrorAt(e: unknown, source: string, filename: string): string {
  type Message = { text?: unknown; message?: unknown; location?: { line?: unknown; column?: unknown; lineText?: unknown } | null; position?: { offset?: unknown; line?: unknown; column?: unknown } | null };
  const err = e as { errors?: unknown[]; message?: unknown } | null;
  const first = (Array.isArray(err?.errors) && err.errors.length ? err.errors[0] : err) as Message | null;
  const num = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined);
  let at: { line: number; column: number } | undefined;
  const loc = first?.location, pos = first?.position;
  if (loc && num(loc.line) !== undefined) {
    const bytes = num(loc.column) ?? 0;
    const text = typeof loc.lineText === "string" ? loc.lineText : "";
    at = { line: num(loc.line)!, column: utf8.decode(utf8e.encode(text).subarray(0, bytes)).length + 1 };
  } else if (pos && num(pos.offset) !== undefined) {
    at = lineColumn(source, num(pos.offset)!);
  } else if (pos && num(pos.line) !== undefined) {
    at = { line: num(pos.line)!, column: num(pos.column) ?? 1 };
  }
  const words = [first?.text, first?.message, err?.message].find((m): m is string => typeof m === "string" && m.trim() !== "");
  const reason = words === undefined ? String(e) : esbuildWords(words.replace(/\x1b\[[0-9;]*m/g, "").split("\n")[0].trim().replace(/:$/, "")); // "here:" introduces esbuild's notes
  return at ? `${filename}:${at.line}:${at.column}: ${reason}` : `${filename}: ${reason}`;
}

const utf8 = new TextDecoder();
const utf8e = new TextEncoder();

/** 1-based line and column (in characters) of a byte offset into `source`. */
function lineColumn(source: string, byteOffset: number): { line: number; column: number } {
  const before = utf8.decode(utf8e.encode(source).subarray(0, byteOffset));
  const nl = before.lastIndexOf("\n");
  return { line: before.split("\n").length, column: before.length - nl };
}

/** Bun's wording of an error, where it differs from esbuild's, in esbuild's words. */
function esbuildWords(m: string): string {
  const unexpected = /^Unexpected (\S+)$/.exec(m);
  if (unexpected && !unexpected[1].startsWith('"')) return `Unexpected ${JSON.stringify(unexpected[1])}`;
  if (/^"[^"]*" has already been declared$/.test(m)) return `The symbol ${m}`;
  return m;
}
