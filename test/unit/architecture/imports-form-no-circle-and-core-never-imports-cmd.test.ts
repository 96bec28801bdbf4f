// The house rule "imports point down", kept mechanically (deno std keeps the
// same check in CI: _tools/check_circular_submodule_dependencies.ts). Imports
// are read as text, type-only ones included: a type-only circle is still two
// files that cannot be understood one without the other.
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { test } from "../../harness.ts";
import { code, ROOT, sources } from "./support/source-text.ts";

const FOLDERS = ["cmd", "core", "plugins", "embed"];
const IMPORT = /(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/gs;

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
  for (const f of sources(...FOLDERS)) g.set(f, importsOf(join(ROOT, f)));
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
