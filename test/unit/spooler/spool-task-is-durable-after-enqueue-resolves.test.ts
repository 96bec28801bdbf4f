import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { withSpoolDir } from "./support/spool-dir.ts";
import { openStore } from "../../../core/spooler/open.ts";
import { decodeTask } from "../../../core/spooler/task.ts";

test("a spool task is a complete file in the spool dir once enqueue resolves, with no temp file left", () =>
  withSpoolDir(async (dir) => {
    const store = await openStore(dir);
    assert.equal(statSync(dir).mode & 0o777, 0o700, "the spool dir is created 0700");
    const id = await store.enqueue({ name: "send_mail", args: { to: "a@example.org" } });

    const entry = await store.get(id);
    assert.equal(entry?.state, "pending");
    assert.ok(existsSync(entry!.ref));
    assert.equal(entry!.ref, join(dir, readdirSync(dir).find((n) => n.endsWith(".task"))!));
    const rec = decodeTask(readFileSync(entry!.ref));
    assert.equal(rec.name, "send_mail");
    assert.deepEqual(rec.args, { to: "a@example.org" });
    assert.equal(rec.attempts, 0);
    assert.deepEqual(readdirSync(join(dir, ".tmp")), []);

    // Another process (a new store on the same dir) sees it.
    const other = await openStore(dir);
    const listing = await other.list();
    assert.equal(listing.pending.count, 1);
    assert.equal(listing.pending.entries[0].id, id);
  }));

test("concurrent enqueues that share directory fsyncs are each durable when they resolve", () =>
  withSpoolDir(async (dir) => {
    const store = await openStore(dir);
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => store.enqueue({ name: "n", args: i, priority: i % 3 })));
    assert.equal(new Set(ids).size, 50);
    for (const id of ids) assert.ok(existsSync((await store.get(id))!.ref));
    assert.deepEqual(readdirSync(join(dir, ".tmp")), []);
  }));
