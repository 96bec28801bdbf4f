// The message rule of core/errors.ts, kept mechanically (deno std does the
// same with a lint rule): a thrown error whose message states a rule ("must",
// "expected") also shows the value it refused, as "rule: got value" (built by
// refused(), or written out with ": got "). Throw sites are read as text.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { refused, shown } from "../../../core/errors.ts";
import { ROOT, sources } from "../architecture/support/source-text.ts";

/** The argument text of every `throw new X(...)` in `src`, with its line. */
function throwSites(src: string): Array<{ line: number; cls: string; arg: string }> {
  const out: Array<{ line: number; cls: string; arg: string }> = [];
  for (const m of src.matchAll(/throw new (\w+)\(/g)) {
    let i = m.index! + m[0].length, depth = 1;
    const start = i;
    while (depth && i < src.length) {
      const c = src[i];
      if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") depth--;
      else if (c === '"' || c === "'" || c === "`") {
        for (i++; i < src.length && src[i] !== c; i++) if (src[i] === "\\") i++;
      }
      i++;
    }
    out.push({ line: src.slice(0, m.index).split("\n").length, cls: m[1], arg: src.slice(start, i - 1) });
  }
  return out;
}

test("every thrown message that states a rule shows the value it refused", () => {
  const bad: string[] = [];
  let sites = 0;
  for (const f of sources("core", "cmd", "plugins", "embed")) {
    for (const s of throwSites(readFileSync(join(ROOT, f), "utf8"))) {
      sites++;
      if (/\b(must|expected)\b/i.test(s.arg) && !/got |refused\(/.test(s.arg)) bad.push(`${f}:${s.line}: ${s.cls}(${s.arg.slice(0, 100)})`);
    }
  }
  assert.ok(sites > 200, `read the throw sites: got ${sites}`);
  assert.deepEqual(bad, []);
});

test("refused() builds 'rule: got value' and shows every value one way", () => {
  assert.equal(refused("--processes must be a positive integer", "x"), '--processes must be a positive integer: got "x"');
  assert.equal(refused("n must be finite", NaN), "n must be finite: got NaN");
  assert.equal(refused("a handler must be a function", 3), "a handler must be a function: got 3");
  assert.equal(shown(undefined), "undefined");
  assert.equal(shown(() => 1), "a function");
  assert.equal(shown({ a: "x".repeat(200) }).length, 80);
});
