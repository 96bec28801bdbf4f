// Helpers for the mule tests: start an instance whose mules write into a temp dir.
import { existsSync, readFileSync } from "node:fs";
import { start, tmp, until, type Instance } from "./lib.ts";

export function startWith(args: string[], env: Record<string, string> = {}): { mf: Instance; out: string } {
  const out = tmp("mf-mules-");
  return { mf: start(args, { env: { OUT: out, ...env } }), out };
}

/** Waits until `file` holds JSON satisfying `ok`, and returns it. */
export function waitJson(file: string, ok: (j: any) => boolean, ms = 20000): Promise<any> {
  return until(() => {
    if (!existsSync(file)) return null;
    try {
      const j = JSON.parse(readFileSync(file, "utf8"));
      return ok(j) ? j : null;
    } catch { return null; }
  }, ms, `${file}`);
}
