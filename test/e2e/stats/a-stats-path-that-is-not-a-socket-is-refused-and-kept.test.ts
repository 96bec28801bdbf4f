// `--stats PATH` removed whatever was at PATH before listening there: a typo
// (`--stats app.ts`) deleted the user's file, and a directory crashed the
// start with an internal error. Only a socket left by a previous run is
// replaced; anything else is refused with one line and left as it was.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { run, tmp } from "../lib.ts";

test("--stats naming a regular file exits 2 and the file keeps its bytes", async () => {
  const dir = tmp();
  const file = join(dir, "app.ts");
  writeFileSync(file, "export default {};\n");
  const r = await run(["--mules", "1", "--stats", file]);
  assert.equal(r.code, 2, r.output);
  assert.equal(r.output.trim(), `mulefarm: cannot start the stats server on ${file}: the path exists and is not a socket (a file)`);
  assert.equal(readFileSync(file, "utf8"), "export default {};\n");
});

test("--stats naming a directory exits 2 with one line and the directory stays", async () => {
  const dir = tmp();
  const sub = join(dir, "stats");
  mkdirSync(sub);
  const r = await run(["--mules", "1", "--stats", sub]);
  assert.equal(r.code, 2, r.output);
  assert.equal(r.output.trim(), `mulefarm: cannot start the stats server on ${sub}: the path exists and is not a socket (a directory)`);
  assert.ok(existsSync(sub));
});
