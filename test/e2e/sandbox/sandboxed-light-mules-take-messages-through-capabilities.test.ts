import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, start, stats, until } from "../lib.ts";

test("a sandboxed mule receives 10k messages and writes a summary through the cache capability; it cannot read /etc/passwd", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/sandbox/app.ts", "--mule=sandbox:test/fixtures/sandbox/counter.ts", "--cache2", "name=default,items=100,blocksize=256", "--grant", "cache", "--stats", `127.0.0.1:${sport}`]);
  try {
    const d = await until(async () => { const x = await stats(sport); return x.workers[0].status === "idle" && x.mules[0]?.status === "idle" ? x : null; }, 20000, "ready");
    assert.equal(d.mules[0].sandboxed, true);
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/send?to=1&n=10000`)).text(), "sent");
    const s = await until(async () => { const t = await (await fetch(`http://127.0.0.1:${port}/summary?id=1`)).text(); return t !== "none" ? JSON.parse(t) : null; }, 15000, "summary");
    assert.equal(s.count, 10000);
    assert.match(s.passwd, /^denied/);
  } finally { await mf.stop(); }
}, 60000);

test("1000 sandboxed mules run in one host process and the stats list 1000 mules", async () => {
  const sport = await freePort();
  const args = Array.from({ length: 1000 }, () => "--mule=sandbox:test/fixtures/sandbox/counter.ts");
  const mf = start([...args, "--stats", `127.0.0.1:${sport}`]);
  try {
    const d = await until(async () => { const x = await stats(sport); return x.mules.length === 1000 && x.mules.every((m: any) => m.status === "idle") ? x : null; }, 60000, "1000 light mules");
    assert.equal(new Set(d.mules.map((m: any) => m.pid)).size, 1, "one host process");
    assert.deepEqual(d.mules.map((m: any) => m.id), Array.from({ length: 1000 }, (_, i) => i + 1));
    const rssPerMule = d.mules[0].rss / 1000;
    assert.ok(rssPerMule < 1024 * 1024, `RSS per light mule: ${(rssPerMule / 1024).toFixed(0)} KiB`);
  } finally { await mf.stop(); }
}, 120000);
