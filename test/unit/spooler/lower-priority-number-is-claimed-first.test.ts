import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { withSpoolDir } from "./support/spool-dir.ts";
import { FileSpoolStore } from "../../../core/spooler/file-store.ts";

test("a lower priority number is claimed first, tasks without priority last, each level in enqueue order", () =>
  withSpoolDir(async (dir) => {
    const store = new FileSpoolStore(dir);
    await store.enqueue({ name: "p5", priority: 5 });
    await store.enqueue({ name: "none-a" });
    await store.enqueue({ name: "p1-a", priority: 1 });
    await store.enqueue({ name: "p101", priority: 101 });
    await store.enqueue({ name: "p1-b", priority: 1 });
    await store.enqueue({ name: "none-b" });
    await store.enqueue({ name: "p0", priority: 0 });

    const order: string[] = [];
    for (let c = await store.claim(); c; c = await store.claim()) {
      order.push(c.task.name);
      await store.complete(c);
    }
    assert.deepEqual(order, ["p0", "p1-a", "p1-b", "p5", "p101", "none-a", "none-b"]);
  }));
