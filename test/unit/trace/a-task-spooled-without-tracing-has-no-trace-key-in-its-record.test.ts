// The off path leaves task records as they were: a task queued without a
// trace has no `trace` key at all (not even a nil) when it is claimed. That
// a trace is carried unchanged through claim and retry is the store
// conformance suite's (test/unit/spooler/spool-store.conformance.ts).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { openStore } from "../../../core/spooler/open.ts";

test("a task spooled without tracing has no trace key in its claimed record", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mf-trace-unit-"));
  const store = await openStore(dir);
  try {
    await store.enqueue({ name: "plain", args: { n: 1 } });
    let c = await store.claim();
    for (let i = 0; !c && i < 100; i++) { await new Promise((r) => setTimeout(r, 20)); c = await store.claim(); }
    assert.ok(c, "the task is claimed");
    assert.equal(c.task.name, "plain");
    assert.equal("trace" in c.task, false);
    await store.complete(c);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
