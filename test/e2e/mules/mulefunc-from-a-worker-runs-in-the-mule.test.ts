import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, stats, until } from "../lib.ts";
import { startWith } from "../mule-lib.ts";

test("mulefunc called in an HTTP worker runs in mule 1 with its arguments", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const { mf, out } = startWith(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/mules/offload-app.ts", "--mule", "--stats", `127.0.0.1:${sport}`]);
  try {
    const d = await until(async () => { const x = await stats(sport); return x.workers[0].status === "idle" && x.mules[0].status === "idle" ? x : null; }, 15000, "ready");
    for (let i = 1; i <= 3; i++) assert.equal(await (await fetch(`http://127.0.0.1:${port}/?n=${i}`)).text(), "queued");
    const lines = await until(() => {
      try { const l = readFileSync(`${out}/mulefunc.txt`, "utf8").trim().split("\n"); return l.length >= 3 ? l : null; } catch { return null; }
    }, 10000, "mulefunc output");
    const rows = lines.map((l: string) => JSON.parse(l));
    assert.deepEqual(rows.map((r: any) => r.n), [1, 2, 3]);
    assert.equal(rows[0].who, "worker");
    assert.equal(rows[0].at, "1970-01-01T00:00:00.000Z", "a Date argument arrives as a Date");
    assert.equal(rows[0].pid, d.mules[0].pid, "it ran in the mule");
  } finally { await mf.stop(); }
}, 30000);
