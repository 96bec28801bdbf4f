import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, start, stats, tmp, until } from "../lib.ts";

test("rpcCall from a worker reaches a mule's function; another instance answers over --rpc; unknown names are RpcNotFound", async () => {
  const [port, sport, rpcPort, port2, sport2] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const out = tmp();
  const a = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/shared/rpc-app.ts", "--mule=test/fixtures/shared/rpc-mule.ts", "--stats", `127.0.0.1:${sport}`], { env: { OUT: out } });
  const b = start(["--http", `127.0.0.1:${port2}`, "--module", "test/fixtures/shared/rpc-app.ts", "--mule=test/fixtures/shared/rpc-mule.ts", "--rpc", `127.0.0.1:${rpcPort}`, "--stats", `127.0.0.1:${sport2}`], { env: { OUT: out } });
  try {
    await until(() => existsSync(`${out}/rpc-mule.ready`), 15000, "mules");
    const da = await until(async () => { const d = await stats(sport); return d.workers[0].status === "idle" && d.rpc.functions.length === 2 ? d : null; }, 15000, "a ready");
    const db = await until(async () => { const d = await stats(sport2); return d.workers[0].status === "idle" && d.rpc.functions.length === 2 ? d : null; }, 15000, "b ready");
    const local = await (await fetch(`http://127.0.0.1:${port}/local`)).json();
    assert.equal(local.sum, 42);
    assert.equal(local.where, `mule 1 pid ${da.mules[0].pid}`);
    const remote = await (await fetch(`http://127.0.0.1:${port}/remote?addr=127.0.0.1:${rpcPort}`)).json();
    assert.equal(remote.where, `mule 1 pid ${db.mules[0].pid}`);
    const missing = await (await fetch(`http://127.0.0.1:${port}/missing`)).json();
    assert.equal(missing.error, 'RpcNotFound: no process registered the RPC function "nope"');
    const dead = await (await fetch(`http://127.0.0.1:${port}/dead`)).json();
    assert.match(dead.error, /^RpcUnreachable: cannot reach RPC address 127\.0\.0\.1:1/);
  } finally { await Promise.all([a.stop(), b.stop()]); }
}, 40000);
