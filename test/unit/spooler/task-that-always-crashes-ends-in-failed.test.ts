import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { deadPid, withSpoolDir } from "./support/spool-dir.ts";
import { FileSpoolStore } from "../../../core/spooler/file-store.ts";
import { pidIsAlive } from "../../../core/base/process.ts";
import { DEFAULT_RETRIES } from "../../../core/spooler/policy.ts";

async function crashUntilFailed(dir: string, retries: number | undefined) {
  const master = new FileSpoolStore(dir);
  const id = await master.enqueue({ name: "kills_its_process", retries, backoff: 0 });
  let runs = 0;
  for (;;) {
    const spooler = new FileSpoolStore(dir, { pid: deadPid() }); // each respawned spooler dies running it
    const c = await spooler.claim();
    if (!c) break;
    assert.equal(c.id, id);
    runs++;
    await master.recover(pidIsAlive);
    assert.ok(runs < 50, "must stop looping");
  }
  return { master, id, runs };
}

test("a task that kills its process every time ends in failed/ after its retry limit", () =>
  withSpoolDir(async (dir) => {
    const { master, id, runs } = await crashUntilFailed(dir, 2);
    assert.equal(runs, 3, "retries: 2 means 3 runs");
    const listing = await master.list();
    assert.equal(listing.failed.count, 1);
    assert.equal(listing.pending.count + listing.running.count, 0);
    const e = await master.get(id);
    assert.equal(e?.state, "failed");
    assert.equal(e?.task?.attempts, 3);
    assert.equal(e?.task?.lastError, "process died while running the task (attempt 3)");
  }));

test("without retries set, a crashing task gets the default retry limit", () =>
  withSpoolDir(async (dir) => {
    const { runs } = await crashUntilFailed(dir, undefined);
    assert.equal(runs, DEFAULT_RETRIES + 1);
  }));
