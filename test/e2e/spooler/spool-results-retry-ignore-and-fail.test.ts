import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { run, until } from "../lib.ts";
import { startSpooler } from "../spool-lib.ts";

test("spoolraw SPOOL_RETRY runs again, SPOOL_IGNORE drops; a throwing task with retries 2 runs 3 times and lands in failed/ with its error", async () => {
  const s = await startSpooler();
  try {
    await s.get("/raw?mode=retry");
    await s.get("/raw?mode=ignore");
    await s.get("/flaky");
    await until(() => s.log("raw-retry.log").length >= 2, 5000, "retry ran twice");
    await until(() => s.log("flaky.log").length >= 3, 8000, "flaky ran 3 times");
    await until(() => { try { return readdirSync(join(s.dir, "failed")).length === 1; } catch { return false; } }, 5000, "failed/");
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(s.log("raw-retry.log").length, 2);
    assert.equal(s.log("raw-ignore.log").length, 1);
    assert.deepEqual(s.log("flaky.log"), ["1", "2", "3"]);
    const failed = readdirSync(join(s.dir, "failed"));
    assert.equal(failed.length, 1);
    const ls = await run(["spool", "ls", s.dir]);
    assert.equal(ls.code, 0);
    assert.match(ls.output, /0 pending, 0 running, 1 failed, 0 quarantined/);
    assert.match(ls.output, /flaky .*attempts 3 .*error: Error: flaky failure 1/);
    assert.match(readFileSync(join(s.dir, "failed", failed[0])).toString("latin1"), /flaky failure 1/);
  } finally { await s.mf.stop(); }
}, 30000);
