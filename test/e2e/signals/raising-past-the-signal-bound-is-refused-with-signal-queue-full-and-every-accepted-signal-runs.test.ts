import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, stats, until } from "../lib.ts";
import { startWith, waitJson } from "../mule-lib.ts";

// docs/guarantees.md, Signals: a raise rejects with SignalQueueFull when the target already has
// 65,536 signals in flight (through the master), when 65,536 of the raiser's raises await the
// master's verdict, or (direct delivery) when 65,536 of the raiser's signals are unfinished at
// the target. Nothing accepted is dropped: once the target is released it handles every one.
const BOUND = 65_536;

async function flood(mode: "master" | "direct") {
  const sport = await freePort();
  const { mf, out } = startWith([
    "--mule=test/fixtures/signals/gated-target.ts",
    "--mule=test/fixtures/signals/bound-raiser.ts",
    "--stats", `127.0.0.1:${sport}`,
  ], { MODE: mode });
  const target = () => waitJson(`${out}/target.json`, () => true, 5000);
  const sig = async (num: number) => (await stats(sport)).signals.find((s: any) => s.num === num);
  return { mf, out, sport, target, sig, open: () => writeFileSync(`${out}/open`, "1") };
}

test("through the master: raises past 65,536 in flight at a blocked mule are refused with SignalQueueFull, and each accepted one runs once it is released", async () => {
  const f = await flood("master");
  try {
    const r = await waitJson(`${f.out}/raised.json`, (j) => j.phase === "full", 25000).catch((e) => { console.log(f.mf.output()); throw e; });
    // 70,000 in one turn: 65,536 await the master's verdict, the rest are refused in the raiser;
    // the master routes those 65,536 to mule 1, which is then full: 1,000 more are refused there.
    assert.equal(r.accepted, BOUND, JSON.stringify(r));
    assert.equal(r.refused, 70_000 + 1_000 - BOUND, JSON.stringify(r));
    assert.deepEqual(r.codes, { SignalQueueFull: r.refused }, "every refusal is SignalQueueFull");
    const byText = Object.entries(r.errors as Record<string, number>);
    assert.equal(byText.filter(([t]) => /waiting for the master/.test(t)).reduce((a, [, n]) => a + n, 0), 70_000 - BOUND, JSON.stringify(r.errors));
    assert.equal(byText.filter(([t]) => /target's signal queue is full/.test(t)).reduce((a, [, n]) => a + n, 0), 1_000, JSON.stringify(r.errors));

    // Every accepted signal reached mule 1 and waits there, none finished; the master counts them in flight.
    await until(async () => (await f.target()).started[50] === BOUND, 20000, "mule 1 started every accepted signal");
    assert.equal((await f.target()).handled[50], 0, "the gate is closed");
    const held = await f.sig(50);
    assert.equal(held.in_flight, BOUND, JSON.stringify(held));
    assert.equal(held.refused, 1_000, JSON.stringify(held));

    f.open();
    const after = await waitJson(`${f.out}/raised.json`, (j) => j.phase === "after", 20000);
    assert.equal(after.accepted, BOUND + 11, "raises are accepted again once the target has room");
    await until(async () => (await f.target()).handled[50] === after.accepted, 20000, "every accepted signal handled").catch(async (e) => { console.log(await f.target()); throw e; });
    await until(async () => (await f.sig(50)).in_flight === 0, 10000, "nothing in flight");
    const t = await f.target();
    assert.equal(t.started[50], after.accepted, "no signal ran twice");
    assert.equal(t.handled[50], after.accepted);
  } finally { await f.mf.stop(); }
}, 60000);

test("direct delivery: a raiser with 65,536 signals unfinished at a blocked mule is refused with SignalQueueFull, and each accepted one runs once it is released", async () => {
  const f = await flood("direct");
  try {
    const r = await waitJson(`${f.out}/raised.json`, (j) => j.phase === "full", 25000).catch((e) => { console.log(f.mf.output()); throw e; });
    // The raiser's warm-up went through the master until its connection to mule 1 was up (viaMaster),
    // then one went straight there: with the burst, 65,536 of its signals are unfinished at mule 1.
    assert.ok(r.accepted > r.viaMaster, JSON.stringify(r));
    assert.equal(r.accepted - r.viaMaster, BOUND, JSON.stringify(r));
    assert.equal(r.refused, 70_000 + 1_000 - (BOUND - 1), JSON.stringify(r));
    assert.deepEqual(r.codes, { SignalQueueFull: r.refused }, "every refusal is SignalQueueFull");
    assert.deepEqual(Object.keys(r.errors), [`SignalQueueFull: signal 51 refused: mule1 has ${BOUND} signals of this process unfinished`], JSON.stringify(r.errors));

    await until(async () => (await f.target()).started[51] === r.accepted, 20000, "mule 1 started every accepted signal");
    assert.equal((await f.target()).handled[51], 0, "the gate is closed");
    // The master counts direct signals as raised and delivered, not in flight (only the warm-up ones it routed).
    await until(async () => (await f.sig(51)).raised === r.accepted, 10000, "the master counted the direct raises");
    const held = await f.sig(51);
    assert.equal(held.delivered, r.accepted, JSON.stringify(held));
    assert.equal(held.in_flight, r.viaMaster, JSON.stringify(held));

    f.open();
    const after = await waitJson(`${f.out}/raised.json`, (j) => j.phase === "after", 20000);
    assert.equal(after.accepted, r.accepted + 11, "raises are accepted again once the target has room");
    await until(async () => (await f.target()).handled[51] === after.accepted, 20000, "every accepted signal handled").catch(async (e) => { console.log(await f.target()); throw e; });
    await until(async () => (await f.sig(51)).raised === after.accepted, 10000, "the master counted every direct raise");
    const t = await f.target();
    assert.equal(t.started[51], after.accepted, "no signal ran twice");
    assert.equal(t.handled[51], after.accepted);
  } finally { await f.mf.stop(); }
}, 60000);
