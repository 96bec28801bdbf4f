import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { run, tmp } from "../lib.ts";

test("--spooler-sync sometimes exits 2 with one line naming the option, its values and the value", async () => {
  const r = await run(["--spooler", join(tmp("mf-spool-"), "spool"), "--spooler-sync", "sometimes"]);
  assert.equal(r.code, 2);
  assert.equal(r.output.trim().split("\n").length, 1, r.output);
  assert.match(r.output, /--spooler-sync must be always, batch or none: got "sometimes"/);
});

test("spooler-sync in an ini file is read the same way", async () => {
  const dir = tmp("mf-spool-");
  const ini = join(dir, "app.ini");
  writeFileSync(ini, `[uwsgi]\nspooler = ${join(dir, "spool")}\nspooler-sync = fast\n`);
  const r = await run(["--ini", ini]);
  assert.equal(r.code, 2);
  assert.match(r.output.trim(), /--spooler-sync must be always, batch or none: got "fast"/);
});
