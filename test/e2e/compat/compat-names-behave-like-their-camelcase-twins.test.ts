import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, start, tmp, until } from "../lib.ts";

// One instance runs every pair (test/fixtures/shared/compat-mule.ts); each name is its own test.
let results: Promise<Record<string, [unknown, unknown]>> | null = null;
function get() {
  results ??= (async () => {
    const out = tmp();
    const port = await freePort();
    const mf = start(["--http", `127.0.0.1:${port}`, "-p", "2", "--module", "examples/hello.ts", "--mule=test/fixtures/shared/compat-mule.ts", "--locks", "2", "--cache2", "name=default,items=100,blocksize=64", "--sharedarea", "1", "--queue", "8", "--queue-blocksize", "64"], { env: { OUT: out } });
    try {
      return await until(() => { try { return JSON.parse(readFileSync(`${out}/compat.json`, "utf8")); } catch { return null; } }, 20000, "compat.json");
    } finally { await mf.stop(); }
  })();
  return results;
}

const names = ["lock", "unlock", "is_locked", "cache_get", "cache_set", "cache_update", "cache_del", "cache_exists", "cache_clear", "cache_inc",
  "register_rpc", "rpc", "call", "rpc_list", "set_user_harakiri", "sharedarea_read", "sharedarea_write", "sharedarea_readbyte", "sharedarea_writebyte",
  "sharedarea_readlong", "sharedarea_writelong", "sharedarea_inclong", "queue_push", "queue_pull", "queue_pop", "queue_get", "queue_set", "queue_last",
  "queue_slot", "workers", "total_requests", "log", "started_on", "numproc", "buffer_size", "opt", "masterpid", "mule_id", "worker_id",
  "decorators.lock", "decorators.rpc", "decorators.thread", "decorators.harakiri", "decorators.postfork"];

for (const name of names) {
  test(`uwsgi ${name} behaves like its camelCase twin`, async () => {
    const r = await get();
    assert.ok(name in r, `${name} was exercised`);
    const [compat, camel] = r[name];
    if (name === "sharedarea_inclong") assert.deepEqual([compat, camel], [42, 43]);
    else if (name === "cache_inc") assert.deepEqual([compat, camel], [5, 5]);
    else assert.deepEqual(compat, camel);
  }, 40000);
}

test("uwsgi reload() replaces every worker and stop() stops the instance with exit 0", async () => {
  const port = await freePort();
  const out = tmp();
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/shared/control-app.ts"], { env: { OUT: out } });
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/pid`).then((r) => r.text(), () => "")) !== "", 15000, "ready");
    const before = await (await fetch(`http://127.0.0.1:${port}/pid`)).text();
    await fetch(`http://127.0.0.1:${port}/reload`);
    await mf.waitFor(/reload done/, 15000);
    const after = await (await fetch(`http://127.0.0.1:${port}/pid`)).text();
    assert.notEqual(after, before);
    await fetch(`http://127.0.0.1:${port}/stop`).catch(() => {});
    const r = await mf.exited;
    assert.equal(r.code, 0);
  } finally { await mf.stop(); }
}, 40000);
