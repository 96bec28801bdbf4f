import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, readJson, start, stats, tmp, until } from "../lib.ts";

// The five names of seed 004 mulefarm lacked, in a running instance, with
// uWSGI's meaning: get_option/set_option (and getoption/setoption) share 256
// uint32 slots between every process, index masked to a byte; request_id is
// the worker's request count; setprocname renames the process for ps/top;
// ready() says every process has started; accepting(flag) shows in the stats.
test("get_option/set_option share slots across processes, request_id counts a worker's requests, setprocname renames the process, ready() is true once started", async () => {
  const out = tmp();
  const [port, sport] = [await freePort(), await freePort()];
  const fx = "test/fixtures/compat/seed-api-app.ts";
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", fx, "--mule=" + fx, "--stats", `127.0.0.1:${sport}`], { env: { OUT: out } });
  const get = async (q: string) => (await fetch(`http://127.0.0.1:${port}${q}`)).json();
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => null))?.status === 200, 20000, "the app");
    assert.deepEqual(await until(async () => { const r = await get("/ready"); return r.ready ? r : null; }, 20000, "ready() to be true"), { ready: true });

    assert.deepEqual(await get("/get?i=3"), { value: 0, alias: 0, viaDefault: 0 });
    assert.deepEqual(await get("/set?i=3&v=77"), { returned: 77, alias: 78 });
    assert.deepEqual(await get("/get?i=3"), { value: 77, alias: 78, viaDefault: 77 });
    // uWSGI stores (uint32_t) value and returns the int it was given.
    assert.deepEqual(await get("/set?i=10&v=-1"), { returned: -1, alias: 0 });
    assert.equal((await get("/get?i=10")).value, 4294967295);
    const m = await until(() => readJson(`${out}/mule-options.json`), 20000, "the mule to read slot 3");
    assert.deepEqual(m, { three: 77, masked: 77, requestId: 0 });

    const a = (await get("/id")).id, b = (await get("/id")).id;
    assert.ok(a >= 1 && b === a + 1, `consecutive requests: ${a}, ${b}`);

    const p = await get("/procname?name=mf-compat-worker");
    assert.equal(p.title, "mf-compat-worker");
    assert.equal(readFileSync(`/proc/${p.pid}/comm`, "utf8").trim(), "mf-compat-worke"); // the kernel keeps 15 bytes

    // accepting(false) shows in the stats as uWSGI's accepting 0 (mulefarm's worker keeps serving), accepting(true) as 1.
    await get("/accepting?v=0");
    await until(async () => (await stats(sport)).workers[0].accepting === 0, 5000, "accepting 0");
    await get("/accepting?v=1");
    await until(async () => (await stats(sport)).workers[0].accepting === 1, 5000, "accepting 1");
  } finally { await mf.stop(); }
}, 60000);
