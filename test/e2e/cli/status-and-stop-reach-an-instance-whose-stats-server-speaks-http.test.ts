// `mulefarm status|stop --stats ADDR` against an instance started with
// --stats-http (its stats server waits for a request instead of writing on connect).
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, run, start, stats, until } from "../lib.ts";

test("status lists the processes (once, or again and again with --watch) and stop ends the instance when its stats server speaks HTTP", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "examples/hello.ts", "--mules", "1", "--stats", `127.0.0.1:${sport}`, "--stats-http"]);
  try {
    await until(async () => { const d = await stats(sport, true).catch(() => null); return d && [...d.workers, ...d.mules].every((x: any) => x.status === "idle" && x.pid > 0); }, 20000, "ready");
    const st = await run(["status", "--stats", `127.0.0.1:${sport}`]);
    assert.equal(st.code, 0, st.output);
    assert.match(st.output, new RegExp(`^master\\s+-\\s+${mf.pid}\\s`, "m"));
    assert.match(st.output, /^worker\s+1\s/m);
    // --watch redraws until interrupted (here: killed after 4 s).
    const w = await run(["status", "--stats", `127.0.0.1:${sport}`, "--watch", "0.2"], { timeoutMs: 4000 });
    assert.ok((w.output.match(/^worker\s+1\s/gm) ?? []).length >= 2, w.output);
    assert.match(w.output, /\x1b\[H\x1b\[2J.*every 0\.2 s/);
    const r = await run(["stop", "--stats", `127.0.0.1:${sport}`]);
    assert.equal(r.code, 0, r.output);
    assert.equal((await mf.exited).code, 0);
  } finally { await mf.stop(); }
}, 40000);
