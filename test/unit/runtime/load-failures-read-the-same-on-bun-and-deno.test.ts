// When a child cannot load its code, the instance stops with one line. Bun and
// Deno report the same failure differently (Bun: a ResolveMessage with
// specifier and referrer, an AggregateError of build messages with positions;
// Deno: a TypeError whose message spans lines, "at file:///...:L:C" at its
// end, with colours), and the line used to differ; it is now one wording.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "../../harness.ts";
import { describeLoadError, isUnloadable } from "../../../core/runtime/load-errors.ts";

const denoError = (message: string) => Object.assign(new TypeError(message), { code: "ERR_MODULE_NOT_FOUND" });

test("a missing module or package reads the same from Bun's and Deno's errors", () => {
  const bunMissing = { name: "ResolveMessage", code: "ERR_MODULE_NOT_FOUND", specifier: "./nope.ts", referrer: "/app/main.ts", message: "Cannot find module './nope.ts' imported from /app/main.ts" };
  const denoMissing = denoError('Module not found "file:///app/nope.ts".\n    at \u001b[0m\u001b[36mfile:///app/main.ts\u001b[0m:\u001b[0m\u001b[33m1\u001b[0m:\u001b[0m\u001b[33m8\u001b[0m');
  assert.equal(describeLoadError(bunMissing), "cannot load /app/main.ts: cannot find module /app/nope.ts");
  assert.equal(describeLoadError(denoMissing), "cannot load /app/main.ts: cannot find module /app/nope.ts");
  const bunPkg = { name: "ResolveMessage", code: "ERR_MODULE_NOT_FOUND", specifier: "left-pad-x", referrer: "/app/main.ts", message: "Cannot find package 'left-pad-x'" };
  const denoPkg = denoError('Import "left-pad-x" not a dependency\n  hint: If you want to use the npm package, try running `deno add npm:left-pad-x`\n    at file:///app/main.ts:1:15');
  assert.equal(describeLoadError(bunPkg), 'cannot load /app/main.ts: cannot find package "left-pad-x"');
  assert.equal(describeLoadError(denoPkg), 'cannot load /app/main.ts: cannot find package "left-pad-x"');
  for (const e of [bunMissing, denoMissing, bunPkg, denoPkg]) assert.ok(isUnloadable(e));
});

test("a syntax error names file:line:column on both; only the parser's words differ", () => {
  const bun = Object.assign(new AggregateError([{ message: 'Expected "}" but found "1"', position: { file: "/app/x.ts", line: 2, column: 10 } }], '4 errors building "/app/x.ts"'));
  const deno = denoError("SyntaxError: Expected ',', got 'numeric literal (1, 1)'\n  |\n2 |   return 1 +;\n  |          ~\n    at file:///app/x.ts:2:10");
  assert.equal(describeLoadError(bun), 'cannot load /app/x.ts:2:10: Expected "}" but found "1"');
  assert.equal(describeLoadError(deno), "cannot load /app/x.ts:2:10: Expected ',', got 'numeric literal (1, 1)'");
  assert.ok(isUnloadable(bun) && isUnloadable(deno));
});

test("in this runtime, real load failures give one line starting the same way", async () => {
  const d = mkdtempSync(join(tmpdir(), "mf-load-"));
  try {
    writeFileSync(join(d, "missing.ts"), 'import "./nope.ts";\n');
    writeFileSync(join(d, "pkg.ts"), 'import x from "no-such-pkg-mf";\nconsole.log(x);\n');
    writeFileSync(join(d, "syntax.ts"), "export const x = ;\n");
    writeFileSync(join(d, "throws.ts"), 'throw new Error("top-level boom");\n');
    const fail = async (f: string) => { try { await import(pathToFileURL(join(d, f)).href); } catch (e) { return e; } throw new Error(`${f} loaded`); };
    assert.equal(describeLoadError(await fail("missing.ts")), `cannot load ${join(d, "missing.ts")}: cannot find module ${join(d, "nope.ts")}`);
    assert.equal(describeLoadError(await fail("pkg.ts")), `cannot load ${join(d, "pkg.ts")}: cannot find package "no-such-pkg-mf"`);
    const syntax = describeLoadError(await fail("syntax.ts"));
    assert.ok(syntax.startsWith(`cannot load ${join(d, "syntax.ts")}:1:`) && !syntax.includes("\n"), syntax);
    const thrown = await fail("throws.ts");
    assert.ok(!isUnloadable(thrown));
    assert.equal(describeLoadError(thrown), `failed to start: Error: top-level boom (${join(d, "throws.ts")}:1)`);
  } finally { rmSync(d, { recursive: true, force: true }); }
});
