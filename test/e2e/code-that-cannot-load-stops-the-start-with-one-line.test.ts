import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../harness.ts";
import { freePort, run, tmp } from "./lib.ts";

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
