// A cluster lock held in instance A, whose master and children are all
// SIGKILLed (a machine that vanishes): nobody frees it, nobody renews its
// lease, and B gets it once the 5 s lease ran out, with a larger token.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { descendants, sleep } from "../lib.ts";
import { twoInstances } from "./two-instances.ts";

test("a cluster lock held by an instance killed whole (master and children) passes to the other instance within its 5 s lease", async () => {
  const p = await twoInstances();
  try {
    const [t1] = (await p.get("a", "/lock/report")).split(" ").map(Number);
    let got: string | null = null;
    const waits = p.get("b", "/lock/report").then((s) => (got = s));
    await sleep(1_000);
    assert.equal(got, null, "B waits");
    const pids = [p.a.pid, ...descendants(p.a.pid)];
    const killedAt = Date.now();
    for (const pid of pids) try { process.kill(pid, "SIGKILL"); } catch { /* gone */ }
    const [t2] = (await waits).split(" ").map(Number);
    const after = Date.now() - killedAt;
    assert.ok(t2 > t1, `token ${t2} > ${t1}`);
    assert.ok(after < 5_000 + 4_000, `B got it ${after} ms after the kill (lease 5 s, renewed every 1.7 s: expected 3.3 to 5 s)`);
  } finally {
    await p.stop();
  }
}, 60_000);
