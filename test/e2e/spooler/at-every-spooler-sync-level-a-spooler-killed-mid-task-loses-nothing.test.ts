// docs/guarantees.md, Spooler tasks, --spooler-sync: whatever the level, a
// spooler SIGKILLed mid-task loses nothing that spool() accepted (the task
// it held runs again), and the stats say which level the instance runs.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { stats, until } from "../lib.ts";
import { startSpooler } from "../spool-lib.ts";

for (const sync of ["always", "batch", "none"]) {
  test(`--spooler-sync ${sync}: SIGKILL the spooler while 300 tasks are pending and one is running: every task runs`, async () => {
    const s = await startSpooler(["--spooler-sync", sync], { SLOW_MS: "1500" });
    try {
      await s.get("/slow?n=300");
      await until(() => s.log("slow.log").some((l) => l.startsWith("start")), 5000, "first task running");
      const d = await stats(s.sport);
      assert.equal(d.spoolers[0].sync, sync, "the stats show the level");
      const pid = d.spoolers[0].pid;
      process.kill(pid, "SIGKILL");
      await until(async () => { const x = await stats(s.sport); return x.spoolers[0].pid !== pid && x.spoolers[0].pid > 0; }, 5000, "respawn");
      await until(() => new Set(s.log("slow.log").filter((l) => l.startsWith("end")).map((l) => l.split(" ")[1])).size >= 300, 30000, "300 distinct tasks finished");
      const starts0 = s.log("slow.log").filter((l) => l.startsWith("start 0 ")).length;
      assert.equal(starts0, 2, "the task it held ran again");
    } finally { await s.mf.stop(); }
  }, 90000);
}
