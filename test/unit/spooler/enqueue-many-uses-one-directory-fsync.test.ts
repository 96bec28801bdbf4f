import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { withSpoolDir } from "./support/spool-dir.ts";
import { FileSpoolStore } from "../../../core/spooler/file-store.ts";

test("enqueueMany makes a whole batch durable at once, in input order, with no temp file left", () =>
  withSpoolDir(async (dir) => {
    const store = new FileSpoolStore(dir);
    const tasks = Array.from({ length: 100 }, (_, i) => ({ name: "n", args: { i }, priority: i % 2 === 0 ? undefined : 3 }));
    const ids = await store.enqueueMany(tasks);
    assert.equal(ids.length, 100);
    assert.equal(new Set(ids).size, 100);
    for (const id of ids) {
      const e = await store.get(id);
      assert.equal(e?.state, "pending");
      assert.ok(existsSync(e!.ref));
    }
    assert.deepEqual(readdirSync(join(dir, ".tmp")), []);
    assert.equal((await store.list()).pending.count, 100);

    const order: number[] = [];
    for (let c = await store.claim(); c; c = await store.claim()) { order.push(c.task.args.i); await store.complete(c); }
    const odd = tasks.map((_, i) => i).filter((i) => i % 2 === 1), even = tasks.map((_, i) => i).filter((i) => i % 2 === 0);
    assert.deepEqual(order, [...odd, ...even], "priority 3 first, then the rest, each in input order");
  }));
