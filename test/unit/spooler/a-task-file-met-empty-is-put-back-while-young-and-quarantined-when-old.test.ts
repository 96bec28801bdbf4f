// The file store creates a small task file under its final name and fills it
// with one write: a claimer can meet it empty in between. Empty and young, it
// is put back and claimed once written; empty and old (its producer died
// before the write, so it was never accepted), it is quarantined.
import assert from "node:assert/strict";
import { existsSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { withSpoolDir } from "./support/spool-dir.ts";
import { openStore } from "../../../core/spooler/open.ts";
import { newTaskId, pendingName } from "../../../core/spooler/file/names.ts";
import { encodeTask } from "../../../core/spooler/task.ts";

test("an empty task file is put back while young, claimed once written, and quarantined when old", () =>
  withSpoolDir(async (dir) => {
    const quarantined: string[] = [];
    const store = await openStore(dir, { onQuarantine: (f) => quarantined.push(f) });
    const t = Date.now() - 1000;
    const young = join(dir, pendingName(t, newTaskId(t)));
    writeFileSync(young, "");
    store.notify(young.slice(dir.length + 1));
    assert.equal(await store.claim(), null, "not claimable while empty");
    assert.ok(existsSync(young), "put back under its name");
    assert.deepEqual(quarantined, []);

    writeFileSync(young, encodeTask({ v: 1, name: "late", args: null, attempts: 0, enqueuedAt: t }));
    store.notify(young.slice(dir.length + 1));
    assert.equal((await store.claim())?.task.name, "late");

    const old = join(dir, pendingName(t, newTaskId(t)));
    writeFileSync(old, "");
    utimesSync(old, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    store.notify(old.slice(dir.length + 1));
    assert.equal(await store.claim(), null);
    assert.deepEqual(quarantined, [old]);
    assert.equal((await store.counts()).quarantined, 1);
  }));
