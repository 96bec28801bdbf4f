// Before tasks had a name each, a group commit was one file under one name
// (a "mulefarm.batch" record). A spool dir written then still runs: a claim
// that meets such a file queues its tasks again one by one and runs them.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { withSpoolDir } from "./support/spool-dir.ts";
import { openStore } from "../../../core/spooler/open.ts";
import { newTaskId, pendingName } from "../../../core/spooler/file/names.ts";
import { encodeTask } from "../../../core/spooler/task.ts";

test("a batch file of the older layout is split into its tasks, each claimed once", () =>
  withSpoolDir(async (dir) => {
    const store = await openStore(dir);
    const t = Date.now() - 1000;
    const tasks = [0, 1, 2].map((i) => ({ name: "old", args: { i } }));
    writeFileSync(join(dir, pendingName(t, newTaskId(t))), encodeTask({ v: 1, name: "mulefarm.batch", args: { tasks }, attempts: 0, enqueuedAt: t, retries: Infinity }));
    const got: number[] = [];
    for (let c = await store.claim(); c; c = await store.claim()) { assert.equal(c.task.name, "old"); got.push(c.task.args.i); await store.complete(c); }
    assert.deepEqual(got, [0, 1, 2]);
    assert.deepEqual(await store.counts(), { pending: 0, running: 0, failed: 0, quarantined: 0 });
  }));
