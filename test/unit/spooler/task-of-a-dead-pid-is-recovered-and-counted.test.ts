import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { deadPid, withSpoolDir } from "./support/spool-dir.ts";
import { FileSpoolStore } from "../../../core/spooler/file-store.ts";
import { pidIsAlive } from "../../../core/base/process.ts";

test("a task held by a dead pid is put back to pending with its attempt counted, a live one is left alone", () =>
  withSpoolDir(async (dir) => {
    const dead = deadPid();
    const killed = new FileSpoolStore(dir, { pid: dead });   // plays the SIGKILLed spooler
    const alive = new FileSpoolStore(dir, { pid: 1 });       // a claimer that is still running
    const master = new FileSpoolStore(dir);

    const lost = await master.enqueue({ name: "lost", backoff: 0 });
    const busy = await master.enqueue({ name: "busy" });
    assert.equal((await killed.claim())?.id, lost);
    assert.equal((await alive.claim())?.id, busy);
    assert.equal(await master.claim(), null, "nothing is pending while both are held");

    const r = await master.recover(pidIsAlive);
    assert.deepEqual(r, { requeued: [lost], failed: [] });

    const e = await master.get(lost);
    assert.equal(e?.state, "pending");
    assert.equal(e?.task?.attempts, 1);
    assert.equal(e?.task?.lastError, "process died while running the task (attempt 1)");
    assert.equal((await master.get(busy))?.state, "running");
    assert.equal((await master.get(busy))?.pid, 1);

    const again = await master.claim();
    assert.equal(again?.id, lost, "the task runs again: at-least-once");
    assert.equal(again?.task.attempts, 1);

    // A Set of live pids works too: the busy task's claimer (pid 1) is in it.
    assert.deepEqual(await master.recover(new Set([1])), { requeued: [], failed: [] });
  }));
