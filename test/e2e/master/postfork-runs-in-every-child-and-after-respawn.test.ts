import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, start, stats, tmp, until } from "../lib.ts";

test("postfork runs once in every child, and again after a respawn", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const out = tmp();
  const mf = start(["--http", `127.0.0.1:${port}`, "-p", "2", "--module", "test/fixtures/shared/app.ts", "--mules", "2", "--stats", `127.0.0.1:${sport}`], { env: { OUT: out } });
  const lines = () => { try { return readFileSync(`${out}/postfork.log`, "utf8").trim().split("\n"); } catch { return []; } };
  try {
    const d = await until(async () => { const x = await stats(sport); return [...x.workers, ...x.mules].every((w: any) => w.status === "idle") ? x : null; }, 15000, "ready");
    assert.deepEqual(lines().map((l) => l.split(" ").slice(0, 2).join(" ")).sort(), ["mule 1", "mule 2", "worker 1", "worker 2"]);
    process.kill(d.workers[0].pid, "SIGKILL");
    await until(() => lines().length === 5, 5000, "postfork after respawn");
    const last = lines()[4].split(" ");
    assert.equal(`${last[0]} ${last[1]}`, "worker 1");
    assert.notEqual(Number(last[2]), d.workers[0].pid);
  } finally { await mf.stop(); }
}, 30000);
