import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "../../harness.ts";
import { freePort, start, stats, until } from "../lib.ts";

// uwsgitop 0.12 is on PyPI only (not reachable here): this Python reader reads
// the raw --stats socket as it does and applies its operations to every field
// it indexes (test/fixtures/compat/uwsgitop-reader.py). Before the uWSGI
// fields, uwsgitop crashed at once with KeyError: 'tx'.
test("a uwsgitop-style Python reader of the raw --stats socket shows both workers with their pids and request counts", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "examples/hello.ts", "-p", "2", "--stats", `127.0.0.1:${sport}`]);
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => null))?.status === 200, 30000, "the app");
    for (let i = 0; i < 9; i++) await (await fetch(`http://127.0.0.1:${port}/`)).text();
    const doc = await until(async () => { const d = await stats(sport); return d.workers.reduce((a: number, w: any) => a + w.requests, 0) === 10 ? d : null; }, 20000, "10 requests counted");
    const out = JSON.parse(execFileSync("python3", ["test/fixtures/compat/uwsgitop-reader.py", `127.0.0.1:${sport}`], { encoding: "utf8" }));
    assert.equal(out.total, 10);
    assert.equal(out.header, `uwsgi-${doc.version} - lq: 0 - node: cwd: ${doc.cwd} - uid: ${doc.uid} - gid: ${doc.gid} - masterpid: ${doc.pid}`);
    assert.equal(out.rows.length, 2);
    const shown = out.rows.map((r: string) => r.split("\t")).map((c: string[]) => ({ id: Number(c[0]), pid: Number(c[2]), requests: Number(c[3]), status: c[6] }));
    const want = doc.workers.map((w: any) => ({ id: w.id, pid: w.pid, requests: w.requests, status: "idle" }));
    assert.deepEqual(shown.sort((a: any, b: any) => a.id - b.id), want.sort((a: any, b: any) => a.id - b.id));
    assert.ok(want.every((w: any) => w.pid > 0));
  } finally { await mf.stop(); }
}, 60000);
