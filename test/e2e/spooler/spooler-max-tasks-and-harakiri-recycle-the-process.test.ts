import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { stats, until } from "../lib.ts";
import { startSpooler } from "../spool-lib.ts";

test("--spooler-max-tasks recycles the spooler process after N tasks and every task still runs once", async () => {
  const s = await startSpooler(["--spooler-max-tasks", "3"]);
  try {
    const first = (await stats(s.sport)).spoolers[0].pid;
    for (let i = 0; i < 7; i++) await s.get("/enqueue?n=1"); // one file each
    await until(() => s.log("done.log").length >= 7, 15000, "7 tasks");
    const pids = new Set(s.log("done.log").map((l) => l.split(" ")[1]));
    assert.ok(pids.size >= 3, `ran in ${pids.size} processes`);
    assert.ok(!pids.has(String(first)) || pids.size >= 3);
    await s.mf.waitFor(/maximum number of tasks reached \(3\)/);
  } finally { await s.mf.stop(); }
}, 40000);

test("--spooler-harakiri kills a task that runs too long; it counts as a failed attempt and ends in failed/", async () => {
  const s = await startSpooler(["--spooler-harakiri", "1"], { SLOW_MS: "5000" });
  try {
    await s.get("/slow?n=1&retries=0");
    await s.mf.waitFor(/HARAKIRI .*"role":"spooler".*"doing":"spool task .* slow"/, 10000);
    await until(() => { try { return readdirSync(join(s.dir, "failed")).length === 1; } catch { return false; } }, 15000, "failed/");
  } finally { await s.mf.stop(); }
}, 40000);
