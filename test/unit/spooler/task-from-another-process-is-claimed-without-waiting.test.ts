import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { withSpoolDir } from "./support/spool-dir.ts";
import { FileSpoolStore } from "../../../core/spooler/file-store.ts";

test("a task enqueued by another process is claimed at once, and rescan() brings a new priority to the front", () =>
  withSpoolDir(async (dir) => {
    const spooler = new FileSpoolStore(dir, { maxIndexAgeMs: 60_000 });
    const producer = new FileSpoolStore(dir);
    assert.equal(await spooler.claim(), null); // index built, empty

    const a = await producer.enqueue({ name: "a" });
    assert.equal((await spooler.claim())?.id, a, "an index with nothing due is refreshed on the spot");

    await producer.enqueue({ name: "low", priority: 9 });
    await producer.enqueue({ name: "low", priority: 9 });
    assert.equal((await spooler.claim())?.task.name, "low");
    const urgent = await producer.enqueue({ name: "urgent", priority: 0 });
    spooler.rescan(); // what a "new task" wake-up does
    assert.equal((await spooler.claim())?.id, urgent);
  }));
