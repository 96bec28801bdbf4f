// uWSGI's spooler functions keep their meaning (seed 004): spooler_jobs()
// returns paths of task files that exist inside the spool directory, one per
// pending task (also for tasks accepted together in one file), and
// spooler_get_task(path) of each returns that task.
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { test } from "../../harness.ts";
import { startSpooler } from "../spool-lib.ts";

test("spooler_jobs() lists an existing file in the spool dir per pending task, and spooler_get_task() of each returns it", async () => {
  const s = await startSpooler();
  try {
    assert.equal(await s.get("/later?n=130&s=3600"), "ok"); // three groups: 64, 64, 2
    const jobs: { path: string; exists: boolean; name: string; id: number }[] = await s.get("/jobs");
    assert.equal(jobs.length, 130);
    const dir = resolve(s.dir);
    for (const j of jobs) {
      assert.ok(j.path.startsWith(dir + "/"), `${j.path} is inside ${dir}`);
      assert.ok(j.exists, `${j.path} exists`);
      assert.equal(j.name, "record");
    }
    assert.equal(new Set(jobs.map((j) => j.path)).size, 130, "one path per task");
    assert.deepEqual(jobs.map((j) => j.id).sort((a, b) => a - b), Array.from({ length: 130 }, (_, i) => i), "each path reads as its own task");
  } finally { await s.mf.stop(); }
}, 60000);
