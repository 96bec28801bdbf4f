// `--processes --mules 2` took "--mules" as the value and then complained
// about a stray "2"; the option that lost its value is the one to name.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { parseCommandLine } from "../../../cmd/config.ts";

test("a value option followed by one of mulefarm's options says it needs a value", () => {
  assert.throws(() => parseCommandLine(["--processes", "--mules", "2"]), { code: "UsageError", message: "--processes needs a value (N)" });
  assert.throws(() => parseCommandLine(["-p", "--http=:8080"]), { code: "UsageError", message: "-p needs a value (N)" });
  assert.throws(() => parseCommandLine(["--spooler", "--mules", "1"]), { message: "--spooler needs a value (DIR)" });
});

test("a value that only looks like an option is still a value", () => {
  assert.deepEqual(parseCommandLine(["--cron", "-1 -1 -1 -1 -1 --not-an-option"]).crons, ["-1 -1 -1 -1 -1 --not-an-option"]);
  // "--X=1" is no option of mulefarm's: it is --env's value (and a bad one).
  assert.throws(() => parseCommandLine(["--env", "--X=1"]), { message: '--env must be KEY=VALUE: got "--X=1"' });
});
