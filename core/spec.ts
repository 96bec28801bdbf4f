// SPEC strings name user code: `script.ts`, `dir/mod.ts:callable`,
// `pkg.mod:callable` (dotted, Python style), optionally `sandbox:` in front.
// Resolution is static (no import), so the master can refuse a missing file
// at start-up with exit 2 before any child runs.
import { existsSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { SpecNotFound, UsageError, refused } from "./errors.ts";

export interface Spec {
  raw: string;
  file: string; //     absolute path
  export?: string; //  named export to call, when given
  sandbox: boolean;
}

const EXTS = [".ts", ".tsx", ".mts", ".js", ".mjs", ".jsx"];

function isFile(p: string): boolean {
  try { return statSync(p).isFile(); } catch { return false; }
}

/** Resolves SPEC against `base` (the working directory after --chdir). */
export function resolveSpec(raw: string, base: string, what = "module"): Spec {
  let s = raw.trim();
  if (!s) throw new UsageError(refused(`${what} spec must not be empty`, raw));
  let sandbox = false;
  if (s.startsWith("sandbox:")) { sandbox = true; s = s.slice(8); }
  let path = s;
  let exp: string | undefined;
  const colon = s.lastIndexOf(":");
  if (colon > 0) {
    path = s.slice(0, colon);
    exp = s.slice(colon + 1);
    if (!/^[A-Za-z_$][\w$]*$/.test(exp)) throw new UsageError(`${what} spec "${raw}" names an invalid export "${exp}"`);
  }
  const file = findFile(path, base);
  if (!file) throw new SpecNotFound(`${what} file not found: ${isAbsolute(path) ? path : resolve(base, path)} (from spec "${raw}")`);
  return { raw, file, export: exp, sandbox };
}

function findFile(path: string, base: string): string | null {
  const direct = resolve(base, path);
  if (isFile(direct)) return direct;
  for (const ext of EXTS) if (isFile(direct + ext)) return direct + ext;
  // Dotted module path: pkg.mod → pkg/mod.ts or pkg/mod/index.ts
  if (!path.includes("/") && path.includes(".") && !EXTS.some((e) => path.endsWith(e))) {
    const rel = path.split(".").join("/");
    for (const ext of EXTS) {
      const f = resolve(base, rel + ext);
      if (isFile(f)) return f;
    }
    for (const ext of EXTS) {
      const f = join(resolve(base, rel), "index" + ext);
      if (existsSync(f)) return f;
    }
  }
  return null;
}
