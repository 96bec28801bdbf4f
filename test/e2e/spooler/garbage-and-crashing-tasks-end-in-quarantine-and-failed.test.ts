import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { run, until } from "../lib.ts";
import { startSpooler } from "../spool-lib.ts";

test("a garbage file dropped into the spool dir goes to quarantine/ with a log line, and tasks keep running", async () => {
  const s = await startSpooler(["--spooler-frequency", "0.2"]);
  try {
    writeFileSync(join(s.dir, "0000000000000_garbage.task"), "not a task at all");
    await s.mf.waitFor(/quarantined .*garbage\.task/, 5000);
    assert.ok(readdirSync(join(s.dir, "quarantine")).some((f) => f.startsWith("0000000000000_garbage.task")));
    await s.get("/enqueue?n=10");
    await until(() => s.log("done.log").length >= 10, 5000, "tasks still run");
    const ls = await run(["spool", "ls", s.dir]);
    assert.match(ls.output, /0 pending, 0 running, 0 failed, 1 quarantined/);
  } finally { await s.mf.stop(); }
}, 30000);

test("a task that SIGKILLs its own process every time ends in failed/ after its retry limit", async () => {
  const s = await startSpooler();
  try {
    await s.get("/suicide"); // retries: 1 → at most 2 runs
    await until(() => { try { return readdirSync(join(s.dir, "failed")).length === 1; } catch { return false; } }, 20000, "failed/");
    assert.equal(s.log("suicide.log").length, 2);
    const ls = await run(["spool", "ls", s.dir]);
    assert.match(ls.output, /1 failed/);
    assert.match(ls.output, /suicide .*process died/);
  } finally { await s.mf.stop(); }
}, 40000);
