// `--spooler=` used to run a spooler on the working directory, quarantining
// every file in it; `--stats=` and `--touch-reload=` were dropped silently.
// An empty value for an option that takes a path, spec or address is refused.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { parseCommandLine } from "../../../cmd/config.ts";

test("an empty --spooler, --module, --stats, --touch-reload or --import names the option and what it needs", () => {
  for (const [opt, arg] of [["spooler", "DIR"], ["module", "SPEC"], ["stats", "ADDR"], ["touch-reload", "FILE"], ["import", "SPEC"], ["pidfile", "FILE"], ["chdir", "DIR"]]) {
    assert.throws(() => parseCommandLine([`--${opt}=`]), { code: "UsageError", message: `--${opt} needs a value (${arg}): got ""` });
    assert.throws(() => parseCommandLine([`--${opt}`, "  "]), { code: "UsageError", message: `--${opt} needs a value (${arg}): got ""` });
  }
  assert.throws(() => parseCommandLine(["--ini="]), { code: "IniError", message: '--ini needs a value (FILE): got ""' });
});

test("an empty value in an ini file is refused the same way", () => {
  const d = mkdtempSync(join(tmpdir(), "mf-empty-"));
  try {
    writeFileSync(join(d, "app.ini"), "[uwsgi]\nmules = 1\nspooler =\n");
    assert.throws(() => parseCommandLine(["--ini", join(d, "app.ini")]), { message: '--spooler needs a value (DIR): got ""' });
  } finally { rmSync(d, { recursive: true, force: true }); }
});

test("a bare --mule is still a signal-only mule", () => {
  assert.deepEqual(parseCommandLine(["--mule"]).mules, [{ id: 1, spec: null }]);
});
