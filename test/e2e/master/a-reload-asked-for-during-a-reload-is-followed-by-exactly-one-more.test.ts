// A reload asked for while one is running is not dropped (uWSGI's master
// ignores it): exactly one more reload follows the current one, however many
// were asked for meanwhile, so workers that restarted before the latest
// request (the latest code change) restart again.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, sleep, start, stats, until } from "../lib.ts";

test("three SIGHUPs in quick succession give the running reload plus exactly one more, which replaces every worker again", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  // Each worker takes ~800 ms to load, so one reload of two workers lasts well over the 100 ms the SIGHUPs take.
  const mf = start(["--http", `127.0.0.1:${port}`, "-p", "2", "--module", "test/fixtures/slow-start-app.ts", "--stats", `127.0.0.1:${sport}`, "--reload-mercy", "5"], { env: { START_MS: "800" } });
  const count = (re: RegExp) => mf.output().match(new RegExp(re.source, "g"))?.length ?? 0;
  try {
    await until(async () => (await stats(sport))?.workers.every((w: any) => w.status === "idle"), 30000, "ready");
    const before = (await stats(sport)).workers.map((w: any) => w.pid);
    const spawnsBefore = count(/spawned worker/);

    // Apart enough that each is a signal of its own (pending signals of one kind coalesce), close enough to land in the first reload.
    for (let i = 0; i < 3; i++) { process.kill(mf.pid, "SIGHUP"); await sleep(50); }

    await mf.waitFor(/reload requested during a reload: it follows this one/, 10000);
    await until(() => count(/reload done/) >= 2, 40000, "two reloads done");
    await until(async () => (await stats(sport)).workers.every((w: any) => w.status === "idle" && w.pid > 0), 10000, "workers idle");
    await sleep(2500); // a third reload would have started (and logged) by now
    const out = mf.output();
    assert.equal(count(/graceful reload: workers one at a time/), 2, `two reloads started:\n${out}`);
    assert.equal(count(/reload done/), 2, `exactly two reloads done:\n${out}`);
    assert.ok(count(/reload requested during a reload: it follows this one/) >= 1);
    // The second reload started after the first was done, and it too replaced both workers.
    const firstDone = out.indexOf("reload done");
    const secondStart = out.indexOf("graceful reload: workers", out.indexOf("graceful reload: workers") + 1);
    assert.ok(secondStart > firstDone, "the queued reload starts after the running one is done");
    const spawnedBy = (from: number, to: number) => [...out.slice(from, to).matchAll(/spawned worker (\d+) \(pid (\d+)\)/g)].map((m) => ({ id: Number(m[1]), pid: Number(m[2]) }));
    const first = spawnedBy(out.indexOf("graceful reload: workers"), firstDone);
    const second = spawnedBy(secondStart, out.lastIndexOf("reload done"));
    assert.deepEqual(first.map((s) => s.id).sort(), [1, 2], "the first reload replaced workers 1 and 2");
    assert.deepEqual(second.map((s) => s.id).sort(), [1, 2], "the second reload replaced workers 1 and 2 again");
    assert.equal(count(/spawned worker/) - spawnsBefore, 4, "four worker spawns, two per reload");
    const now = (await stats(sport)).workers.map((w: any) => w.pid);
    assert.deepEqual([...now].sort(), second.map((s) => s.pid).sort(), "the workers running are the ones the last reload started");
    for (const p of now) assert.ok(!before.includes(p) && !first.some((s) => s.pid === p), `worker pid ${p} is new after the last reload`);
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200);
  } finally { await mf.stop(); }
}, 60000);
