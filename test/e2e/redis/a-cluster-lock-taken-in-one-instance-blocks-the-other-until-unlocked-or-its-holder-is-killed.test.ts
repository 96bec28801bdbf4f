// Acceptance 5 (locks): a cluster lock taken in instance A blocks instance B
// until A unlocks, or until A's holder process is SIGKILLed (its master frees
// it at once, well within the 5 s lease); each acquisition's fencing token is
// larger than the last.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { sleep } from "../lib.ts";
import { twoInstances } from "./two-instances.ts";

test("a cluster lock held in instance A blocks B until A unlocks it, or until A's holder is SIGKILLed; tokens only grow", async () => {
  const p = await twoInstances();
  try {
    const [t1, holderA] = (await p.get("a", "/lock/billing")).split(" ").map(Number);
    assert.ok(t1 >= 1, `a token: ${t1}`);
    let bGot: string | null = null;
    const bWaits = p.get("b", "/ulock/billing").then((s) => (bGot = s));
    await sleep(1_500);
    assert.equal(bGot, null, "B waits while A holds the lock");
    assert.equal(await p.get("a", "/unlock/billing"), "unlocked");
    const [t2] = (await bWaits).split(" ").map(Number);
    assert.ok(t2 > t1, `B's token ${t2} > A's ${t1}`);
    assert.equal(await p.get("b", "/unlock/billing"), "unlocked");

    // A takes it again; its holder (the worker) is SIGKILLed: B gets it, before the lease could have expired.
    const [t3, holder] = (await p.get("a", "/lock/billing")).split(" ").map(Number);
    assert.equal(holder, holderA);
    assert.ok(t3 > t2);
    let bGot2: string | null = null;
    const bWaits2 = p.get("b", "/lock/billing").then((s) => (bGot2 = s));
    await sleep(1_000);
    assert.equal(bGot2, null, "B waits again");
    const killedAt = Date.now();
    process.kill(holder, "SIGKILL");
    const [t4] = (await bWaits2).split(" ").map(Number);
    assert.ok(Date.now() - killedAt < 5_000, `B got it ${Date.now() - killedAt} ms after the kill (the master frees it: the log line below; no lease wait)`);
    assert.ok(t4 > t3);
    await p.a.waitFor(/cluster lock "billing" released: its holder worker 1 \(pid \d+\) died/);
  } finally {
    await p.stop();
  }
}, 90_000);
