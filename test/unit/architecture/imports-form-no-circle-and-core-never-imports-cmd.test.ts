// The house rule "imports point down", kept mechanically (deno std keeps the
// same check in CI: _tools/check_circular_submodule_dependencies.ts). Imports
// are read as text, type-only ones included: a type-only circle is still two
// files that cannot be understood one without the other.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { test } from "../../harness.ts";

const ROOT = normalize(join(new URL(".", import.meta.url).pathname, "../../.."));
const FOLDERS = ["cmd", "core", "plugins", "embed"];
const IMPORT = /(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/gs;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx|js|mjs)$/.test(name) && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** Source text without its comments (strings kept whole, so a "//" or "/*" inside one is not a comment). */
function code(src: string): string {
  let out = "";
  for (let i = 0; i < src.length;) {
    if (src.startsWith("//", i)) { const j = src.indexOf("\n", i); i = j < 0 ? src.length : j; continue; }
    if (src.startsWith("/*", i)) { const j = src.indexOf("*/", i + 2); i = j < 0 ? src.length : j + 2; continue; }
    const c = src[i];
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === "\\" ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function importsOf(file: string): string[] {
  const deps: string[] = [];
  for (const m of code(readFileSync(file, "utf8")).matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec.startsWith(".")) continue;
    const p = normalize(join(dirname(file), spec));
    const hit = [p, `${p}.ts`, join(p, "index.ts")].find((c) => existsSync(c) && statSync(c).isFile());
    if (hit) deps.push(relative(ROOT, hit));
  }
  return deps;
}

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of FOLDERS.flatMap((d) => sources(join(ROOT, d)))) g.set(relative(ROOT, f), importsOf(f));
  return g;
}

/** Every circle (strongly connected component of two or more files, or a file importing itself), Tarjan's way. */
function circles(g: Map<string, string[]>): string[][] {
  const index = new Map<string, number>(), low = new Map<string, number>(), on = new Set<string>(), stack: string[] = [];
  const out: string[][] = [];
  let k = 0;
  const visit = (v: string) => {
    index.set(v, k); low.set(v, k); k++; stack.push(v); on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1 || (g.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return out;
}

test("no import circle in cmd/ core/ plugins/ embed/, and nothing in core/ imports cmd/", () => {
  const g = graph();
  assert.ok(g.size > 100, `read the sources: got ${g.size} files`);
  assert.deepEqual(circles(g).map((c) => c.join(" <-> ")), []);
  const up = [...g].flatMap(([f, deps]) => (f.startsWith("core/") ? deps.filter((d) => d.startsWith("cmd/")).map((d) => `${f} -> ${d}`) : []));
  assert.deepEqual(up, []);
});

test("the check finds a circle and an import from core/ into cmd/ when there is one", () => {
  const g = new Map([["core/a.ts", ["core/b.ts"]], ["core/b.ts", ["core/a.ts", "cmd/x.ts"]], ["cmd/x.ts", []]]);
  assert.deepEqual(circles(g), [["core/a.ts", "core/b.ts"]]);
});
