import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { freePort, run, tmp } from "../lib.ts";

test("an app with a syntax error stops the start with exit 1 and one mulefarm: line naming the file", async () => {
  const dir = tmp();
  writeFileSync(join(dir, "broken.ts"), 'export default { fetch() { return new Response("x") }\nconst = 5;\n');
  const r = await run(["--http", `127.0.0.1:${await freePort()}`, "--module", join(dir, "broken.ts")]);
  assert.equal(r.code, 1);
  const last = r.output.trim().split("\n").filter((l) => l.startsWith("mulefarm:"));
  assert.equal(last.length, 1, r.output);
  assert.match(last[0], /broken\.ts/);
});

test("an app whose top level throws stops the start with exit 1 naming the error", async () => {
  const dir = tmp();
  writeFileSync(join(dir, "throws.ts"), 'throw new Error("top-level boom");\nexport default () => new Response("x");\n');
  const r = await run(["--http", `127.0.0.1:${await freePort()}`, "--module", join(dir, "throws.ts")]);
  assert.equal(r.code, 1);
  assert.match(r.output, /^mulefarm: .*top-level boom/m);
});

test("a mule script with a syntax error stops the start instead of respawning forever", async () => {
  const dir = tmp();
  writeFileSync(join(dir, "badmule.ts"), "const x = ;\n");
  const r = await run([`--mule=${join(dir, "badmule.ts")}`]);
  assert.equal(r.code, 1, r.output);
  assert.match(r.output, /^mulefarm: .*(badmule\.ts|SyntaxError|Unexpected)/m);
  assert.ok(!/respawning/.test(r.output), r.output);
});

test("a module importing a missing file, and a mule importing a missing package, stop the start naming both in the same words on every runtime", async () => {
  const dir = tmp();
  writeFileSync(join(dir, "app.ts"), 'import "./nope.ts";\nexport default () => new Response("x");\n');
  const r = await run(["--http", `127.0.0.1:${await freePort()}`, "--module", join(dir, "app.ts")]);
  assert.equal(r.code, 1, r.output);
  const last = r.output.trim().split("\n").filter((l) => l.startsWith("mulefarm:"));
  assert.deepEqual(last, [`mulefarm: cannot load ${join(dir, "app.ts")}: cannot find module ${join(dir, "nope.ts")}`]);
  // Deno's wording for a bare specifier was not known as a load failure: the mule respawned forever.
  writeFileSync(join(dir, "mule.ts"), 'import x from "no-such-pkg-mf";\nconsole.log(x);\n');
  const m = await run([`--mule=${join(dir, "mule.ts")}`]);
  assert.equal(m.code, 1, m.output);
  assert.ok(!/respawning/.test(m.output), m.output);
  assert.deepEqual(m.output.trim().split("\n").filter((l) => l.startsWith("mulefarm:")), [`mulefarm: cannot load ${join(dir, "mule.ts")}: cannot find package "no-such-pkg-mf"`]);
});
