import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { stats, until } from "../lib.ts";
import { startSpooler } from "../spool-lib.ts";

test("SIGKILL the spooler while 1000 tasks are pending and one is running: every task runs at least once", async () => {
  const s = await startSpooler([], { SLOW_MS: "1500" });
  try {
    await s.get("/slow?n=1000");
    // Task 0 runs first and sleeps SLOW_MS; its start line names the process running it.
    const first = await until(() => s.log("slow.log").find((l) => l.startsWith("start 0 ")), 5000, "task 0 running");
    const d = await stats(s.sport);
    const pid = d.spoolers[0].pid;
    assert.equal(Number(first.split(" ")[2]), pid, "the spooler killed is the one running task 0");
    process.kill(pid, "SIGKILL");
    await until(async () => { const x = await stats(s.sport); return x.spoolers[0].pid !== pid && x.spoolers[0].pid > 0; }, 5000, "respawn");
    await until(() => new Set(s.log("slow.log").filter((l) => l.startsWith("end")).map((l) => l.split(" ")[1])).size >= 1000, 30000, "1000 distinct tasks finished");
  } finally { await s.mf.stop(); }
}, 90000);
