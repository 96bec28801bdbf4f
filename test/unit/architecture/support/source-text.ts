// The source text the house-rule tests read: every TypeScript/JavaScript file
// of some folders, and its code without comments (strings kept, or emptied).
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The repository's root. */
export const ROOT = join(new URL(".", import.meta.url).pathname, "../../../..");

/** Repo-relative paths of the .ts/.tsx/.js/.mjs files under `dirs` (no .d.ts, nothing generated). */
export function sources(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const rel = join(dir, name);
      if (name === "generated" || name === "node_modules") continue;
      if (statSync(join(ROOT, rel)).isDirectory()) walk(rel);
      else if (/\.(ts|tsx|js|mjs)$/.test(name) && !name.endsWith(".d.ts")) out.push(rel);
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/** `src` without its comments; a "//" or "/*" inside a string is not one. With `emptyStrings`, every string is left as its quotes. */
export function code(src: string, emptyStrings = false): string {
  let out = "";
  for (let i = 0; i < src.length;) {
    if (src.startsWith("//", i)) { const j = src.indexOf("\n", i); i = j < 0 ? src.length : j; continue; }
    if (src.startsWith("/*", i)) { const j = src.indexOf("*/", i + 2); i = j < 0 ? src.length : j + 2; continue; }
    const c = src[i];
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === "\\" ? 2 : 1;
      out += emptyStrings ? c + c : src.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}
