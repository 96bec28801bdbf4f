import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, stats, until } from "../lib.ts";
import { startWith } from "../mule-lib.ts";

// mulefunc(1)(fn) / new Mule(1).offload()(fn) called in an HTTP worker: the
// awaited call resolves with fn's return value (run in the mule); a throw
// rejects it with an error carrying its message and code; a call nobody
// awaits still runs (fire-and-forget) and sends no reply; uwsgidecorators'
// mulefunc stays fire-and-forget even when awaited.
test("offload() from a worker to a mule returns the value, and a thrown error arrives with its message", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const { mf, out } = startWith(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/tasks/offload-app.ts", "--mule", "--stats", `127.0.0.1:${sport}`]);
  const get = async (p: string) => (await fetch(`http://127.0.0.1:${port}${p}`)).json();
  try {
    const d = await until(async () => { const x = await stats(sport); return x.workers[0].status === "idle" && x.mules[0].status === "idle" ? x : null; }, 15000, "ready");
    const a: any = await get("/area?w=6&h=7");
    assert.equal(a.area, 42, JSON.stringify(a));
    assert.equal(a.pid, d.mules[0].pid, "it ran in the mule");
    assert.equal(a.when, "1970-01-01T00:00:00.000Z");
    const r: any = await get("/refuse?why=too%20big");
    assert.deepEqual(r, { error: "refused: too big", code: "RangeError", isError: true });
    assert.deepEqual(await get("/note?tag=one"), { back: "one" });
    // Each awaited call's result came back as one RPC call from the mule; an unawaited one asks for none.
    const before = (await stats(sport)).rpc.calls;
    assert.equal(before, 3, "one reply per awaited call");
    assert.deepEqual(await get("/compat"), { back: null }, "uwsgidecorators' mulefunc stays fire-and-forget");
    assert.deepEqual(await get("/note-later?tag=two"), { sent: true });
    await until(() => { try { return readFileSync(`${out}/note.log`, "utf8").includes("two"); } catch { return false; } }, 10000, "the unawaited call ran");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await stats(sport)).rpc.calls, before, "no reply for a call nobody awaited");
  } finally { await mf.stop(); }
}, 60000);
