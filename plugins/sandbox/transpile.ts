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
import { UsageError } from "../../core/errors.ts";
import { hostRuntime } from "./quickjs.ts";

/** TypeScript cannot be transpiled in this runtime (Deno without a working esbuild). */
export class TranspilerUnavailable extends UsageError {
  static code = "TranspilerUnavailable";
}

const JS_EXT = /\.(m|c)?js$/i;

type Transform = (source: string, filename: string) => string;
let impl: Transform | undefined;
let loadError: string | undefined;

if (hostRuntime() === "bun") {
  const B = (globalThis as any).Bun;
  const ts = new B.Transpiler({ loader: "ts", target: "browser" });
  const tsx = new B.Transpiler({ loader: "tsx", target: "browser" });
  impl = (src, file) => (file.endsWith(".tsx") ? tsx : ts).transformSync(src);
}

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
  return hostRuntime() === "bun" ? "Bun.Transpiler" : "esbuild";
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
    const errs = (e as { errors?: { message?: string; position?: { line?: number; column?: number } }[] }).errors;
    const msg = Array.isArray(errs) && errs.length
      ? errs.slice(0, 3).map((x) => `${filename}:${x.position?.line ?? "?"}:${x.position?.column ?? "?"}: ${x.message}`).join("; ")
      : e instanceof Error ? e.message.split("\n").slice(0, 3).join(" ") : String(e);
    throw new UsageError(`plugin ${filename}: TypeScript syntax error: ${msg}`);
  }
}
