// A --plugin or --mule=sandbox: script that does not parse (itself or a file
// it imports), or imports what is not there, stops the start with exit 2 and
// one line, the same on every runtime: under Deno it read
// "TypeScript syntax error: F:?:?: undefined", and a light mule whose import
// did not load was restarted forever.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { freePort, run, tmp } from "../lib.ts";

const manifest = 'export const manifest = { name: "bad", version: "1.0.0", capabilities: [], hooks: ["onRequest"] };\n';

/** Exit code and the one "mulefarm:" line; no stack trace, no restart. */
async function refused(args: string[]) {
  const r = await run(args);
  const lines = r.output.trim().split("\n").filter((l) => l.startsWith("mulefarm:"));
  assert.equal(lines.length, 1, r.output);
  assert.ok(!/^\s+at /m.test(r.output) && !/restarting|respawning/.test(r.output), r.output);
  return { code: r.code, line: lines[0] };
}

test("a plugin whose TypeScript or JavaScript does not parse names file:line:column and the reason", async () => {
  const dir = tmp();
  writeFileSync(join(dir, "bad.ts"), `${manifest}export function onRequest() {\n  return { status: 200 body: "x" };\n}\n`);
  writeFileSync(join(dir, "bad.js"), `${manifest}export function onRequest() { return { status: 200 body: "x" }; }\n`);
  writeFileSync(join(dir, "lib.ts"), "export const x: number = 1 +;\n");
  writeFileSync(join(dir, "imports.ts"), `import { x } from "./lib.ts";\nconsole.log(x);\n${manifest}export function onRequest() { return undefined; }\n`);
  const app = ["--http", `127.0.0.1:${await freePort()}`, "--module", "examples/hello.ts"];
  assert.deepEqual(await refused([...app, "--plugin", join(dir, "bad.ts")]), { code: 2, line: `mulefarm: plugin ${join(dir, "bad.ts")}: TypeScript syntax error: ${join(dir, "bad.ts")}:3:24: Expected "}" but found "body"` });
  assert.deepEqual(await refused([...app, "--plugin", join(dir, "bad.js")]), { code: 2, line: `mulefarm: plugin ${join(dir, "bad.js")}: JavaScript syntax error: ${join(dir, "bad.js")}:2:52: expecting '}'` });
  assert.deepEqual(await refused([...app, "--plugin", join(dir, "imports.ts")]), { code: 2, line: `mulefarm: plugin ${join(dir, "imports.ts")}: TypeScript syntax error: ${join(dir, "lib.ts")}:1:29: Unexpected ";"` });
}, 60000);

test("a light mule whose script or an import does not parse, or imports a missing file, stops the start the same way", async () => {
  const dir = tmp();
  writeFileSync(join(dir, "bad.ts"), "let x: number = ;\nfor await (const m of Mule.messages()) {}\n");
  writeFileSync(join(dir, "lib.js"), "export const x = ;\n");
  writeFileSync(join(dir, "imports.ts"), 'import { x } from "./lib.js";\nconsole.log(x);\nfor await (const m of Mule.messages()) {}\n');
  writeFileSync(join(dir, "missing.ts"), 'import { x } from "./nope.ts";\nconsole.log(x);\nfor await (const m of Mule.messages()) {}\n');
  assert.deepEqual(await refused([`--mule=sandbox:${join(dir, "bad.ts")}`]), { code: 2, line: `mulefarm: light mule 1 (${join(dir, "bad.ts")}): TypeScript syntax error: ${join(dir, "bad.ts")}:1:17: Unexpected ";"` });
  assert.deepEqual(await refused([`--mule=sandbox:${join(dir, "imports.ts")}`]), { code: 2, line: `mulefarm: light mule 1 (${join(dir, "imports.ts")}): JavaScript syntax error: ${join(dir, "lib.js")}:1:18: unexpected token in expression: ';'` });
  assert.deepEqual(await refused([`--mule=sandbox:${join(dir, "missing.ts")}`]), { code: 2, line: `mulefarm: ${join(dir, "missing.ts")}: cannot find module "./nope.ts"` });
}, 60000);
