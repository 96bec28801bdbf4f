// The task-control suite (issue #19), run against every store by the same
// kind of factory as the store suite (spool-store.conformance.ts): results,
// cancel (pending and running), pause, progress, events, start rate and
// batches, driven through the real claim loop (SpoolWorker + TaskRunner) in
// this process, with a second handle standing for "another process".
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { openStore } from "../../../core/spooler/open.ts";
import type { NewTask, SpoolStore } from "../../../core/spooler/store.ts";
import { LaneClaimer, laneAddress } from "../../../core/spooler/control/lanes.ts";
import { registerSpoolFn } from "../../../core/spooler/registry.ts";
import { SpoolWorker } from "../../../core/spooler/worker.ts";
import { TaskRunner } from "../../../core/spooler/control/runner.ts";
import { openControl } from "../../../core/spooler/control/open.ts";
import type { SpoolEvent, TaskControl } from "../../../core/spooler/control/control.ts";
import { cancelIn, setPausedIn, waitResult } from "../../../core/spooler/control/ops.ts";
import { BATCH_KEY } from "../../../core/spooler/control/batch.ts";
import { currentTask } from "../../../core/spooler/control/current.ts";
import { TaskCancelled, TaskResultTimeout } from "../../../core/errors.ts";
import type { StoreFactory } from "./spool-store.conformance.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Task functions (registered once, by name); what they saw goes into `seen`.
const seen: Record<string, number> = {};
const saw = (k: string) => { seen[k] = (seen[k] ?? 0) + 1; };
registerSpoolFn((a: any) => { saw(`value:${a.n}`); return { twice: a.n * 2, when: new Date(0) }; }, "spool", false, "ctl.value");
registerSpoolFn((a: any) => { saw(`throws:${a.tag}`); throw new TypeError("no good: " + a.tag); }, "spool", false, "ctl.throws");
registerSpoolFn((a: any) => { saw(`never:${a.tag}`); }, "spool", false, "ctl.never");
registerSpoolFn(async (a: any, meta: any) => {
  saw(`long:${a.tag}`);
  await new Promise<void>((resolve) => {
    if (meta.signal.aborted) return resolve();
    meta.signal.addEventListener("abort", () => { saw(`aborted:${a.tag}`); resolve(); });
  });
}, "spool", false, "ctl.long");
registerSpoolFn(async (a: any) => {
  const t = currentTask()!;
  await t.control.setProgress(t.id, { step: 1, of: 2 }, 60_000);
  await t.control.emit({ type: "progress", id: t.id, value: 0.5, at: Date.now() });
  saw(`progress:${a.tag}`);
  return "done";
}, "spool", false, "ctl.progress");
const order: string[] = [];
let running = 0, maxRunning = 0;
const runningOf: Record<string, number> = {}, maxOf: Record<string, number> = {};
registerSpoolFn(async (a: any) => {
  order.push(a.tag);
  const g = a.tag[0];
  running++; maxRunning = Math.max(maxRunning, running);
  runningOf[g] = (runningOf[g] ?? 0) + 1; maxOf[g] = Math.max(maxOf[g] ?? 0, runningOf[g]);
  await sleep(a.ms ?? 0);
  running--; runningOf[g]--;
}, "spool", false, "ctl.grouped");
registerSpoolFn((a: any) => { saw(`member:${a.tag}:${a.i}:${BATCH_KEY in a}`); if (a.fail) throw new Error("member failed"); }, "spool", false, "ctl.member");
registerSpoolFn((a: any) => { saw(`flaky:${a.tag}`); if (seen[`flaky:${a.tag}`] === 1) throw new Error("first run fails"); return BATCH_KEY in a; }, "spool", false, "ctl.flaky");
registerSpoolFn((a: any) => { saw(`callback:${a.tag}:${a.total}/${a.succeeded}/${a.failed}`); }, "spool", false, "ctl.callback");

interface Rig {
  address: string;
  store: SpoolStore;
  control: TaskControl;
  /** Another handle on the same control (another process). */
  other: TaskControl;
  /** Starts a claim loop (one "spooler process"); stop() ends it. */
  startWorker(o?: { rate?: { n: number; windowMs: number }; groupConcurrency?: number }): { stop(): Promise<void> };
  /** Spools into group `g`'s lane, as `.spool({ group })` does. */
  enqueueIn(g: string, task: NewTask): Promise<string>;
}

/** Registers the task-control suite for one store. */
export function runControlConformance(name: string, factory: StoreFactory): void {
  const t = (title: string, body: (r: Rig) => Promise<void>, ms = 30_000) =>
    test(`${name}: ${title}`, async () => {
      for (const k of Object.keys(seen)) delete seen[k];
      order.length = 0; running = 0; maxRunning = 0;
      for (const k of Object.keys(maxOf)) { delete maxOf[k]; delete runningOf[k]; }
      const f = await factory.fresh();
      const store = await (f.open ? f.open() : openStore(f.address, {}));
      const control = await openControl(f.address);
      const other = await openControl(f.address);
      const workers: Array<{ stop(): Promise<void> }> = [];
      const laneStores: SpoolStore[] = [];
      const rig: Rig = {
        address: f.address, store, control, other,
        async enqueueIn(g, task) {
          await control.addGroup(g);
          const s = await openStore(laneAddress(f.address, g), { sync: "none" });
          laneStores.push(s);
          return s.enqueue(task);
        },
        startWorker(o = {}) {
          const runner = new TaskRunner(control, { store, resultTtlMs: 60_000, graceMs: 60_000, rate: o.rate });
          const lanes = new LaneClaimer(f.address, store, control, { concurrency: o.groupConcurrency ?? 0, open: { sync: "none" } });
          const w = new SpoolWorker(store, { address: f.address, frequencyMs: 100, control: runner, lanes });
          const done = w.run();
          const h = { stop: async () => { await w.stop(); await done; await lanes.close(); } };
          workers.push(h);
          return h;
        },
      };
      try {
        await body(rig);
      } finally {
        for (const w of workers) await w.stop().catch(() => {});
        for (const s of laneStores) await s.close().catch(() => {});
        await control.close().catch(() => {});
        await other.close().catch(() => {});
        await store.close().catch(() => {});
        await f.cleanup();
      }
    }, ms);

  t("a task's return value is its result, read by id from another handle", async (r) => {
    r.startWorker();
    const id = await r.store.enqueue({ name: "ctl.value", args: { n: 21 } });
    const v: any = await waitResult(r.other, id, 10);
    assert.equal(v.twice, 42);
    assert.ok(v.when instanceof Date, "a Date comes back as a Date");
  });

  t("a task that throws past its retries rejects its result with its error", async (r) => {
    r.startWorker();
    const id = await r.store.enqueue({ name: "ctl.throws", args: { tag: "a" }, retries: 1, backoff: 0.05 });
    await assert.rejects(waitResult(r.other, id, 10), (e: any) => e.name === "TypeError" && /no good: a/.test(e.message));
    assert.equal(seen["throws:a"], 2, "run once, retried once");
  });

  t("taskResult of a task that has not ended rejects with TaskResultTimeout after its timeout", async (r) => {
    const id = await r.store.enqueue({ name: "ctl.value", args: { n: 1 } });
    await assert.rejects(waitResult(r.other, id, 0.2), (e: any) => e instanceof TaskResultTimeout);
  });

  t("a cancelled pending task rejects with TaskCancelled at once and never runs", async (r) => {
    const id = await r.store.enqueue({ name: "ctl.never", args: { tag: "p" } });
    assert.equal(await cancelIn(r.store, r.other, id, 60_000), "pending");
    await assert.rejects(waitResult(r.control, id, 5), (e: any) => e instanceof TaskCancelled);
    r.startWorker();
    const after = await r.store.enqueue({ name: "ctl.value", args: { n: 2 } });
    await waitResult(r.control, after, 10); // the loop went past the cancelled one
    assert.equal(seen["never:p"], undefined, "the cancelled task never ran");
    assert.equal((await r.store.counts()).pending, 0, "it left the queue");
  });

  t("a cancelled running task sees its AbortSignal, ends, is not retried, and rejects with TaskCancelled", async (r) => {
    r.startWorker();
    const id = await r.store.enqueue({ name: "ctl.long", args: { tag: "r" }, retries: 5 });
    for (let i = 0; !seen["long:r"]; i++) { assert.ok(i < 500, "the task started"); await sleep(10); }
    assert.equal(await cancelIn(r.store, r.other, id, 60_000), "running");
    await assert.rejects(waitResult(r.other, id, 10), (e: any) => e instanceof TaskCancelled);
    assert.equal(seen["aborted:r"], 1);
    await sleep(300);
    assert.equal(seen["long:r"], 1, "not run again");
    const c = await r.store.counts();
    assert.equal(c.pending + c.running + c.failed, 0);
  });

  t("cancelling an unknown or finished task says null", async (r) => {
    assert.equal(await cancelIn(r.store, r.control, "no-such-task", 60_000), null);
  });

  t("a paused spooler claims nothing, a fresh handle sees it paused, and resume lets the task run", async (r) => {
    await setPausedIn(r.control, true);
    r.startWorker();
    const id = await r.store.enqueue({ name: "ctl.value", args: { n: 5 } });
    await sleep(600);
    assert.equal((await r.store.counts()).pending, 1, "accepts go on, claims stop");
    const restarted = await openControl(r.address);
    assert.equal(await restarted.isPaused(), true, "the flag is stored, not held by a process");
    await setPausedIn(restarted, false);
    await restarted.close();
    assert.equal(((await waitResult(r.control, id, 10)) as any).twice, 10);
  });

  t("progress written in a task is read from another handle and arrives as an event", async (r) => {
    const ac = new AbortController();
    const got: SpoolEvent[] = [];
    const reading = (async () => { for await (const e of r.other.events(ac.signal)) { got.push(e); if (e.type === "completed") break; } })();
    await sleep(200); // the reader is at the end of the log
    r.startWorker();
    const id = await r.store.enqueue({ name: "ctl.progress", args: { tag: "x" } });
    assert.equal(await waitResult(r.other, id, 10), "done");
    assert.deepEqual(await r.other.getProgress(id), { step: 1, of: 2 });
    await Promise.race([reading, sleep(5000)]);
    ac.abort();
    assert.deepEqual(got.filter((e) => e.id === id).map((e) => e.type), ["progress", "completed"]);
    assert.equal(got.find((e) => e.type === "completed")!.value, "done");
  });

  t("events of failed and cancelled tasks reach a reader in another handle", async (r) => {
    const ac = new AbortController();
    const got: SpoolEvent[] = [];
    const reading = (async () => { for await (const e of r.other.events(ac.signal)) { got.push(e); if (got.length === 2) break; } })();
    await sleep(200);
    const p = await r.store.enqueue({ name: "ctl.never", args: { tag: "e" } });
    await cancelIn(r.store, r.control, p, 60_000);
    r.startWorker();
    const f = await r.store.enqueue({ name: "ctl.throws", args: { tag: "e" }, retries: 0 });
    await Promise.race([reading, sleep(8000)]);
    ac.abort();
    assert.deepEqual(got.map((e) => [e.type, e.id]), [["cancelled", p], ["failed", f]]);
    assert.equal(got[1].code, "TypeError");
  });

  t("a result past its TTL is gone", async (r) => {
    await r.control.putResult("t1", { state: "completed", value: 1, at: Date.now() }, 100);
    assert.deepEqual((await r.other.getResult("t1"))?.state, "completed");
    await sleep(250);
    assert.equal(await r.other.getResult("t1"), null);
  });

  t("start slots: at most N per window across handles, then a wait in ms", async (r) => {
    const got = await Promise.all([r.control, r.other, r.control, r.other, r.control].map((c) => c.takeStart(3, 2000)));
    assert.equal(got.filter((w) => w === 0).length, 3);
    for (const w of got.filter((w) => w !== 0)) assert.ok(w > 0 && w <= 2000, `wait ${w}`);
  });

  t("--spooler-rate: tasks wait for a slot, none dropped", async (r) => {
    r.startWorker({ rate: { n: 2, windowMs: 1000 } });
    const t0 = Date.now();
    const ids = await Promise.all([1, 2, 3, 4, 5].map((n) => r.store.enqueue({ name: "ctl.value", args: { n } })));
    for (const id of ids) await waitResult(r.other, id, 20);
    assert.ok(Date.now() - t0 >= 2000, `5 starts at 2/s took ${Date.now() - t0} ms`);
  });

  t("a batch's callback runs once when all its tasks ended, with the counts; members never see the batch key", async (r) => {
    const bid = "b-test-1";
    await r.control.batchOpen({ id: bid, total: 3, succeeded: 0, failed: 0, callback: { name: "ctl.callback", args: { tag: "k" }, when: "complete" } });
    for (const i of [0, 1, 2]) await r.store.enqueue({ name: "ctl.member", args: { tag: "k", i, fail: i === 2, [BATCH_KEY]: bid }, retries: 0 });
    r.startWorker();
    for (let i = 0; !seen["callback:k:3/2/1"]; i++) { assert.ok(i < 1000, "the callback ran"); await sleep(10); }
    for (const i of [0, 1, 2]) assert.equal(seen[`member:k:${i}:false`], 1);
    await sleep(300);
    assert.equal(seen["callback:k:3/2/1"], 1);
  });

  t("a batch counts each task once (a re-run after a crash does not count twice)", async (r) => {
    await r.control.batchOpen({ id: "b2", total: 2, succeeded: 0, failed: 0 });
    assert.equal(await r.control.batchDone("b2", "t1", true), null);
    assert.equal(await r.other.batchDone("b2", "t1", true), null, "the same task again");
    const b = await r.other.batchDone("b2", "t2", false);
    assert.deepEqual([b?.total, b?.succeeded, b?.failed], [2, 1, 1]);
  });

  t("claims take turns between groups: small groups finish before a big one has run 4", async (r) => {
    for (let i = 1; i <= 12; i++) await r.enqueueIn("big", { name: "ctl.grouped", args: { tag: `big${i}` } });
    for (const g of ["s1", "s2"]) for (let i = 1; i <= 2; i++) await r.enqueueIn(g, { name: "ctl.grouped", args: { tag: `${g}-${i}` } });
    await r.store.enqueue({ name: "ctl.grouped", args: { tag: "main1" } });
    r.startWorker();
    for (let i = 0; order.length < 17; i++) { assert.ok(i < 1000, `all ran: ${order}`); await sleep(10); }
    const big4 = order.indexOf("big4");
    for (const t of ["s1-1", "s1-2", "s2-1", "s2-2", "main1"]) assert.ok(order.indexOf(t) < big4, `${t} before big4: ${order}`);
    assert.deepEqual(order.filter((x) => x.startsWith("big")), Array.from({ length: 12 }, (_, i) => `big${i + 1}`), "enqueue order within the group");
  });

  t("--spooler-group-concurrency 1: two claimers never run two tasks of a group at once; priority holds within the group", async (r) => {
    for (const [tag, priority] of [["p3", 3], ["p1", 1], ["p2", 2], ["p0", 0]] as const) await r.enqueueIn("g", { name: "ctl.grouped", args: { tag, ms: 150 }, priority });
    await r.enqueueIn("h", { name: "ctl.grouped", args: { tag: "h1", ms: 150 } });
    r.startWorker({ groupConcurrency: 1 });
    r.startWorker({ groupConcurrency: 1 });
    for (let i = 0; order.length < 5 || running > 0; i++) { assert.ok(i < 1000, `all ran: ${order}`); await sleep(10); }
    assert.deepEqual(order.filter((x) => x.startsWith("p")), ["p0", "p1", "p2", "p3"]);
    assert.equal(maxOf.p, 1, "never two of group g at once");
    assert.equal(maxRunning, 2, "group h ran beside group g");
  });

  t("a pending task of a group is found and cancelled like any other", async (r) => {
    const id = await r.enqueueIn("g", { name: "ctl.never", args: { tag: "lane" } });
    assert.equal(await cancelIn(r.store, r.other, id, 60_000), "pending");
    r.startWorker();
    const after = await r.enqueueIn("g", { name: "ctl.value", args: { n: 3 } });
    await waitResult(r.control, after, 10);
    await assert.rejects(waitResult(r.control, id, 5), (e: any) => e instanceof TaskCancelled);
    assert.equal(seen["never:lane"], undefined);
  });

  t("a batch member that fails once and is retried is still counted (its batch survives the retry)", async (r) => {
    await r.control.batchOpen({ id: "b3", total: 2, succeeded: 0, failed: 0, callback: { name: "ctl.callback", args: { tag: "r" }, when: "success" } });
    await r.store.enqueue({ name: "ctl.flaky", args: { tag: "f", [BATCH_KEY]: "b3" }, retries: 2, backoff: 0.05 });
    await r.store.enqueue({ name: "ctl.member", args: { tag: "r", i: 0, [BATCH_KEY]: "b3" } });
    r.startWorker();
    for (let i = 0; !seen["callback:r:2/2/0"]; i++) { assert.ok(i < 1000, `the callback ran: ${JSON.stringify(seen)}`); await sleep(10); }
    assert.equal(seen["flaky:f"], 2, "failed once, then ran again");
  });
}
