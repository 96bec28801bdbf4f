import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { withSpoolDir } from "./support/spool-dir.ts";
import { openStore } from "../../../core/spooler/open.ts";
import { newTaskId, pendingName } from "../../../core/spooler/file/names.ts";

test("garbage and foreign files in the spool dir are quarantined with a reason, never deleted, and tasks keep running", () =>
  withSpoolDir(async (dir) => {
    const seen: [string, string][] = [];
    const store = await openStore(dir, { onQuarantine: (file, reason) => seen.push([file, reason]) });
    const good = await store.enqueue({ name: "good" });

    const t = Date.now() - 1000;
    const badMagic = pendingName(t, newTaskId(t));
    writeFileSync(join(dir, badMagic), "not a task at all");                       // right name, wrong bytes
    const badPack = pendingName(t, newTaskId(t));
    writeFileSync(join(dir, badPack), new Uint8Array([0x4d, 0x46, 0x53, 0x50, 1, 0x82, 0xa1])); // magic ok, msgpack cut short
    writeFileSync(join(dir, "uwsgi_spoolfile_on_host_1_2_3"), "foreign");            // unexpected name
    mkdirSync(join(dir, "notes"));                                                   // non-numeric dir
    symlinkSync("/etc/hostname", join(dir, "link"));                                 // not a regular file

    const c = await store.claim();
    assert.equal(c?.id, good, "the valid task still runs");
    await store.complete(c!);
    assert.equal(await store.claim(), null);

    const reasons = Object.fromEntries(seen.map(([f, r]) => [f.split("/").pop(), r]));
    assert.match(reasons[badMagic], /bad magic/);
    assert.match(reasons[badPack], /unparsable msgpack/);
    assert.match(reasons["uwsgi_spoolfile_on_host_1_2_3"], /unexpected file name/);
    assert.match(reasons["notes"], /unexpected directory/);
    assert.match(reasons["link"], /not a regular file/);
    assert.equal(seen.length, 5, "one report per file");

    const q = readdirSync(join(dir, "quarantine"));
    const kept = q.find((n) => n.startsWith(badMagic) && !n.endsWith(".reason"))!;
    assert.equal(readFileSync(join(dir, "quarantine", kept), "utf8"), "not a task at all", "content kept intact");
    assert.match(readFileSync(join(dir, "quarantine", kept + ".reason"), "utf8"), /bad magic/);

    const listing = await store.list();
    assert.equal(listing.quarantined.count, 5);
    assert.ok(listing.quarantined.entries.every((e) => e.reason));
    assert.equal(listing.pending.count, 0);
  }));
