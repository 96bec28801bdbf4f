// uWSGI's --max-worker-lifetime, and --reload-on-rss (PM2's
// max_memory_restart) for mules and spoolers too: each process is replaced
// gracefully and the instance keeps working.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startSpooler } from "../spool-lib.ts";
import { stats, until } from "../lib.ts";

test("--max-worker-lifetime replaces the worker; --mule-reload-on-rss and --spooler-reload-on-rss replace a mule and a spooler over the limit; tasks still run", async () => {
  // 1 MB: every process is over it, so each is recycled about a second after it starts.
  const s = await startSpooler(["--max-worker-lifetime", "2", "--mules", "1", "--mule-reload-on-rss", "1", "--spooler-reload-on-rss", "1"]);
  try {
    const first = await stats(s.sport);
    const w = first.workers[0].pid, m = first.mules[0].pid, sp = first.spoolers[0].pid;
    await until(async () => {
      const d = await stats(s.sport);
      return d.workers[0].pid > 0 && d.workers[0].pid !== w && d.mules[0].pid > 0 && d.mules[0].pid !== m && d.spoolers[0].pid > 0 && d.spoolers[0].pid !== sp;
    }, 15000, "worker, mule and spooler replaced");
    const out = s.mf.output();
    assert.match(out, /alive for 2 s \(--max-worker-lifetime\): recycling/);
    assert.match(out, /RSS \d+ MB is over --mule-reload-on-rss 1 MB: recycling/);
    assert.match(out, /RSS \d+ MB is over --spooler-reload-on-rss 1 MB: recycling/);
    // Recycled spoolers keep taking tasks: none is lost.
    assert.deepEqual(await until(() => s.get("/enqueue?n=5").catch(() => null), 10000, "enqueue"), { ok: 5 });
    await until(() => s.log("done.log").length >= 5, 20000, "the 5 tasks ran");
  } finally { await s.mf.stop(); }
}, 60000);
