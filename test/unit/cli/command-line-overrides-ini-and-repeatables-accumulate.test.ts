import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { parseCommandLine } from "../../../cmd/config.ts";

test("the command line overrides the ini, repeatable options accumulate in order, mule ids follow option order", () => {
  const dir = mkdtempSync(join(tmpdir(), "mf-ini-"));
  const ini = join(dir, "app.ini");
  writeFileSync(ini, "[uwsgi]\nprocesses = 4\nmule = a.ts\nmules = 2\nimport = one.ts\nmy_custom = 7\n");
  const c = parseCommandLine(["--ini", ini, "--processes=2", "--mule=b.ts", "--import", "two.ts", "--mule"]);
  assert.equal(c.processes, 2);
  assert.deepEqual(c.mules.map((m) => `${m.id}:${m.spec}`), ["1:a.ts", "2:null", "3:null", "4:b.ts", "5:null"]);
  assert.deepEqual(c.imports, ["one.ts", "two.ts"]);
  assert.equal(c.opt.my_custom, "7", "unknown ini keys are custom options, as uWSGI's placeholders");
});

test("-p N, --workers N and --processes N are the same option", () => {
  assert.equal(parseCommandLine(["-p", "3"]).processes, 3);
  assert.equal(parseCommandLine(["-p3"]).processes, 3);
  assert.equal(parseCommandLine(["--workers", "5"]).processes, 5);
});

test("bad values name the option and the value", () => {
  assert.throws(() => parseCommandLine(["--processes", "0"]), { code: "UsageError", message: '--processes must be a positive integer: got "0"' });
  assert.throws(() => parseCommandLine(["--http", "nope"]), { message: '--http must be HOST:PORT or :PORT: got "nope"' });
  assert.throws(() => parseCommandLine(["--mules", "2", "--farm", "f"]), { message: '--farm must be NAME:ID[,ID...]: got "f"' });
  assert.throws(() => parseCommandLine(["--reload-mercy", "-1"]), { message: '--reload-mercy must be a non-negative number: got "-1"' });
  assert.throws(() => parseCommandLine(["--module"]), { message: "--module needs a value (SPEC)" });
});
