import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "../../harness.ts";
import uwsgi from "../../../core/api/uwsgi.ts";

// The seed names whose mulefarm meaning needs no instance (docs/uwsgi-api.md says how each is adapted).
test("mem() is [rss, vsz] of this process in bytes, rss below vsz", () => {
  const [rss, vsz] = uwsgi.mem();
  assert.ok(rss > 1 << 20 && vsz > rss, `rss ${rss}, vsz ${vsz}`);
});

test("listen_queue() is the constant 0 (the runtime's server hides its backlog)", () => {
  assert.equal(uwsgi.listen_queue(), 0);
});

test("extract(path) returns a file's bytes", () => {
  const d = mkdtempSync(join(tmpdir(), "mf-extract-"));
  try {
    writeFileSync(join(d, "f"), "abc");
    assert.deepEqual([...uwsgi.extract(join(d, "f"))], [97, 98, 99]);
  } finally { rmSync(d, { recursive: true }); }
});

test("async_sleep(s) resolves after s seconds; suspend() and green_schedule() let other work run first", async () => {
  const t0 = Date.now();
  await uwsgi.async_sleep(0.2);
  assert.ok(Date.now() - t0 >= 190);
  for (const f of [uwsgi.suspend, uwsgi.green_schedule]) {
    let ran = false;
    setTimeout(() => { ran = true; }, 0);
    await f();
    assert.equal(ran, true);
  }
  assert.equal(uwsgi.sorry_i_need_to_block(), true);
});

test("outside an instance: request_id() is 0, accepting() does nothing, logsize() is 0, the globals are empty", () => {
  assert.equal(uwsgi.request_id(), 0);
  assert.equal(uwsgi.accepting(false), undefined);
  assert.equal(uwsgi.logsize(), 0);
  assert.deepEqual([uwsgi.applist, uwsgi.applications, uwsgi.fastfuncs, uwsgi.magic_table, uwsgi.message_manager_marshal], [[], {}, [], {}, null]);
});

test("get_option, set_option and ready need a running instance: a named error, not a hang", async () => {
  await assert.rejects(uwsgi.get_option(1), /needs a running mulefarm instance/);
  await assert.rejects(uwsgi.set_option(1, 2), /needs a running mulefarm instance/);
  await assert.rejects(uwsgi.ready(), /needs a running mulefarm instance/);
  await assert.rejects(uwsgi.get_option(1.5), (e: any) => e.code === "UsageError" && e.message === "get_option index must be an integer: got 1.5");
  await assert.rejects(uwsgi.set_option(1, 0.5), (e: any) => e.code === "UsageError" && e.message === "set_option value must be an integer: got 0.5");
});
