// Spans in seconds end in setTimeout, whose delay is a signed 32-bit count of
// milliseconds: a longer one fires at once, in a loop (a TimeoutOverflowWarning
// per tick). So every span stops at 2147483 s (24 days), and options take
// plain decimals only (Number() would also read "0x10", "1e3" and " ").
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { parseCommandLine } from "../../../cmd/config.ts";
import { sigSeconds } from "../../../core/signals/option-specs.ts";
import { parseCron2Line } from "../../../core/cron/command-line.ts";

test("a seconds option over 24 days is a UsageError naming the bound and the value", () => {
  for (const opt of ["reload-mercy", "harakiri", "mule-send-timeout", "mule-harakiri", "spooler-frequency", "spooler-harakiri", "cron-harakiri"]) {
    assert.throws(() => parseCommandLine([`--${opt}`, "99999999999"]), { code: "UsageError", message: `--${opt} must be at most 2147483 seconds (24 days): got "99999999999"` });
  }
  assert.equal(parseCommandLine(["--reload-mercy", "2147483"]).reloadMercy, 2147483);
});

test("hex, exponents and NaN are not seconds; 1.5 and .5 are", () => {
  for (const v of ["0x10", "1e3", "1e99", "NaN", "Infinity", " ", "1.2.3"]) {
    assert.throws(() => parseCommandLine(["--reload-mercy", v]), { code: "UsageError", message: `--reload-mercy must be a non-negative number: got "${v}"` });
  }
  assert.equal(parseCommandLine(["--reload-mercy", "1.5"]).reloadMercy, 1.5);
  assert.equal(parseCommandLine(["--spooler-frequency", ".5"]).spoolerFrequency, 0.5);
});

test("--timer/--rbtimer SECONDS and --cron2 harakiri= stop at 24 days too", () => {
  assert.throws(() => sigSeconds("timer", "17 1e99"), { message: '--timer SECONDS must be at most 2147483 (24 days): got "17 1e99"' });
  assert.throws(() => sigSeconds("rbtimer", "17 1000000000"), { message: '--rbtimer SECONDS must be at most 2147483 (24 days): got "17 1000000000"' });
  assert.deepEqual(sigSeconds("timer", "17 2147483"), { num: 17, seconds: 2147483 });
  assert.throws(() => parseCron2Line("harakiri=99999999999 true"), { message: '--cron2 harakiri must be 0..2147483 seconds: got 99999999999, in "harakiri=99999999999 true"' });
});
