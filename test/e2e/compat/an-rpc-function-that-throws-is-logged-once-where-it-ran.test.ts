import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, start, tmp, until } from "../lib.ts";

// uWSGI prints an RPC function's exception in the process that ran it; the
// caller only gets the error. Here: one line in the instance (and process)
// that ran it, naming the function and the error, none in the caller's.
test("an RPC function that throws logs one line naming it and the error in the instance that ran it, and the caller gets the error", async () => {
  const [portA, portB, rpcB] = [await freePort(), await freePort(), await freePort()];
  const outA = tmp(), outB = tmp();
  const app = "test/fixtures/compat/rpc-caller-app.ts", mule = "--mule=test/fixtures/compat/rpc-thrower-mule.ts";
  const a = start(["--http", `127.0.0.1:${portA}`, "--module", app, mule], { env: { OUT: outA } });
  const b = start(["--http", `127.0.0.1:${portB}`, "--module", app, mule, "--rpc", `127.0.0.1:${rpcB}`], { env: { OUT: outB } });
  try {
    const pidA = Number(await until(() => { try { return readFileSync(`${outA}/rpc-thrower.ready`, "utf8"); } catch { return ""; } }, 20000, "mule of a"));
    await until(() => { try { return readFileSync(`${outB}/rpc-thrower.ready`, "utf8"); } catch { return ""; } }, 20000, "mule of b");
    const get = (port: number, q: string) => until(async () => {
      const r = await fetch(`http://127.0.0.1:${port}${q}`).catch(() => null);
      const j = r?.status === 200 ? await r.json() : null;
      // The mule registers with the master just after writing its ready file.
      return j && !/RpcNotFound/.test(j.error ?? "") ? j : null;
    }, 20000, q);

    // Worker → mule in the same instance.
    const local = await get(portA, "/local?name=explode");
    assert.equal(local.error, "Error: boom 42");
    await a.waitFor(/RPC function "explode" failed/, 10000);
    const linesA = a.output().split("\n").filter((l) => l.includes('RPC function "explode"'));
    assert.deepEqual(linesA, ['[mule 1] RPC function "explode" failed: Error: boom 42'], a.output());
    const coded = await get(portA, "/local?name=refuse");
    assert.equal(coded.error, "LockError: lock 7 does not exist: got 7");
    await a.waitFor(/RPC function "refuse" failed: LockError: lock 7 does not exist: got 7/, 10000);
    assert.ok(pidA > 0);

    // Instance a → instance b over --rpc: b logs it, a does not.
    const remote = await get(portA, `/remote?addr=127.0.0.1:${rpcB}&name=explode`);
    assert.equal(remote.error, "Error: boom 42");
    await b.waitFor(/RPC function "explode" failed: Error: boom 42/, 10000);
    assert.equal(b.output().split("\n").filter((l) => l.includes('RPC function "explode" failed')).length, 1, b.output());
    assert.equal(a.output().split("\n").filter((l) => l.includes('RPC function "explode" failed')).length, 1, a.output());
  } finally { await Promise.all([a.stop(), b.stop()]); }
}, 60000);
