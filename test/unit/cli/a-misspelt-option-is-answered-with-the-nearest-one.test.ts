import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { parseCommandLine } from "../../../cmd/config.ts";

test("a misspelt option on the command line is refused naming the nearest one; a word far from every option is not given one", () => {
  assert.throws(() => parseCommandLine(["--proceses", "2"]), { code: "UsageError", message: "unknown option --proceses (did you mean --processes?)" });
  assert.throws(() => parseCommandLine(["--spooler-procesess", "2"]), { message: "unknown option --spooler-procesess (did you mean --spooler-processes?)" });
  assert.throws(() => parseCommandLine(["--xyzzy"]), { message: "unknown option --xyzzy" });
});

test("a misspelt option in an ini stays a placeholder, as in uWSGI, with a note naming the nearest option; other placeholders get none", () => {
  const dir = mkdtempSync(join(tmpdir(), "mf-ini-"));
  const ini = join(dir, "app.ini");
  writeFileSync(ini, "[uwsgi]\nbase = /srv\nproceses = 4\nvenv = /srv/venv\nport = 8080\nchdir = %(base)\n");
  const c = parseCommandLine(["--ini", ini]);
  assert.equal(c.processes, 1, "the misspelt key sets nothing");
  assert.equal(c.opt.proceses, "4");
  assert.equal(c.chdir, "/srv", "placeholders still expand");
  assert.deepEqual(c.notes.filter((n) => n.includes("is no option")), [`${ini}:3: "proceses" is no option (did you mean "processes"?): kept as a placeholder`]);
});
