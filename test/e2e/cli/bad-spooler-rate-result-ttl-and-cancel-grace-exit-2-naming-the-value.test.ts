import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { run, tmp } from "../lib.ts";

// The task-control options (issue #19) refuse a bad value at start: exit 2,
// one line naming the option, the rule and the value.
test("bad --spooler-rate, --spooler-result-ttl and --spooler-cancel-grace exit 2 with one line naming the value", async () => {
  const dir = tmp("mf-badrate-");
  for (const [args, re] of [
    [["--spooler-rate", "ten/1"], /--spooler-rate must be N\/S \(N starts per S seconds, N >= 1, S > 0\): got "ten\/1"/],
    [["--spooler-rate", "0/1"], /--spooler-rate must be N\/S .*: got "0\/1"/],
    [["--spooler-result-ttl", "-1"], /--spooler-result-ttl must be a non-negative number: got "-1"/],
    [["--spooler-cancel-grace", "-5"], /--spooler-cancel-grace must be a non-negative number: got "-5"/],
  ] as const) {
    const r = await run(["--spooler", dir, ...args]);
    assert.equal(r.code, 2, r.output);
    assert.equal(r.output.trim().split("\n").length, 1, r.output);
    assert.match(r.output, re);
  }
});
