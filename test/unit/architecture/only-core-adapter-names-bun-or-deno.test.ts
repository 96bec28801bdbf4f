// One runtime seam: core/adapter/ answers "which runtime runs this" and holds
// every runtime-specific file. Elsewhere the code (comments and strings left
// out) names neither Bun nor Deno.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";

const ROOT = join(new URL(".", import.meta.url).pathname, "../../..");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (name === "generated") continue;
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...sources(rel));
    else if (/\.(ts|tsx|js|mjs)$/.test(name) && !name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

/** The code of `src` without comments, and with every string emptied. */
function code(src: string): string {
  let out = "";
  for (let i = 0; i < src.length;) {
    if (src.startsWith("//", i)) { const j = src.indexOf("\n", i); i = j < 0 ? src.length : j; continue; }
    if (src.startsWith("/*", i)) { const j = src.indexOf("*/", i + 2); i = j < 0 ? src.length : j + 2; continue; }
    const c = src[i];
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === "\\" ? 2 : 1;
      out += c + c;
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

test("outside core/adapter/ no code names Bun or Deno", () => {
  const files = [...["cmd", "core", "plugins", "embed"].flatMap(sources), "build.ts"].filter((f) => !f.startsWith(join("core", "adapter") + "/"));
  assert.ok(files.length > 100, `read the sources: got ${files.length}`);
  const naming = files.filter((f) => /\b(Bun|Deno)\b/.test(code(readFileSync(join(ROOT, f), "utf8"))));
  assert.deepEqual(naming, []);
});
