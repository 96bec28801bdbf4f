// uWSGI's uwsgi.signal(num, "host:port"): raise a signal in another
// instance (here: at its --rpc address); refused numbers and unreachable
// instances are named errors.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, start, tmp, until } from "../lib.ts";

test("uwsgi.signal(23, addr) runs signal 23's handler in the instance listening with --rpc at addr; a number it has no handler for is refused", async () => {
  const [pa, pb, rpcB, dead] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const out = tmp("mf-remote-sig-");
  const b = start(["--http", `127.0.0.1:${pb}`, "--module", "test/fixtures/signals/remote-app.ts", "--rpc", `127.0.0.1:${rpcB}`], { env: { OUT: out, HANDLE: "1" } });
  const a = start(["--http", `127.0.0.1:${pa}`, "--module", "test/fixtures/signals/remote-app.ts"], { env: { OUT: out } });
  const get = async (path: string) => (await fetch(`http://127.0.0.1:${pa}${path}`)).text();
  const count = () => (existsSync(`${out}/remote.log`) ? readFileSync(`${out}/remote.log`, "utf8").split("\n").filter(Boolean).length : 0);
  try {
    await until(async () => { try { return (await fetch(`http://127.0.0.1:${pb}/`)).ok && (await get("/")) === "ok"; } catch { return false; } }, 20000, "both instances up");
    await until(async () => (await get(`/raise/23?at=127.0.0.1:${rpcB}`)) === "raised", 10000, "B took signal 23 (its handler is registered)");
    await until(() => count() === 1, 5000, "B's worker ran the handler");
    assert.equal(await get(`/raise/24?at=127.0.0.1:${rpcB}`), "InvalidSignal: signal 24 has no registered handler");
    assert.match(await get(`/raise/23?at=127.0.0.1:${dead}`), /^RpcUnreachable: cannot reach RPC address 127\.0\.0\.1:\d+: ECONNREFUSED/);
    assert.equal(count(), 1);
  } finally { await Promise.all([a.stop(), b.stop()]); }
}, 45000);
