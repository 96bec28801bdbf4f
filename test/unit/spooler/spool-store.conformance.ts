// One behavioural suite for every SpoolStore (as hono runs one router suite
// against each router): each promise of docs/guarantees.md's spooler section
// is a test over a store factory. A store's own test file calls
// `runStoreConformance(name, factory)` once, then adds its own edge cases.
//
// The factory gives a fresh, empty store per test and the few store-specific
// hooks the suite needs (garbage, dead claimers). Every handle is opened
// through `open`, which defaults to the one factory `openStore(address)`.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "../../harness.ts";
import { type OpenOptions, openStore } from "../../../core/spooler/open.ts";
import type { ClaimedTask, SpoolStore } from "../../../core/spooler/store.ts";
import { pidIsAlive } from "../../../core/base/process.ts";
import { backoffMs, DEFAULT_RETRIES } from "../../../core/spooler/policy.ts";
import { registerSpoolFn } from "../../../core/spooler/registry.ts";
import { runTask, SPOOL_IGNORE, SPOOL_OK, SPOOL_RETRY } from "../../../core/spooler/run.ts";
import { applyOutcome } from "../../../core/spooler/worker.ts";
import { Retry, SpoolError, Unrecoverable } from "../../../core/errors.ts";
import { deadPid, runtimeArgs } from "./support/procs.ts";

/** One empty store for one test. */
export interface StoreFixture {
  /** What openStore takes (and what a child process is given). */
  address: string;
  /** Opens another handle on the same store (default: openStore(address, opts)). */
  open?(opts?: OpenOptions): Promise<SpoolStore>;
  /** Puts one undecodable entry where `claim` will meet it (first in run order). */
  writeGarbage(): Promise<void>;
  /**
   * A handle whose claims `recover()` will see as abandoned (default: a
   * handle whose owner is a dead pid). A lease store may shorten its lease.
   */
  openDeadClaimer?(): Promise<SpoolStore>;
  /** Called after a dead claimer claimed, before `recover` (a lease store lets the lease lapse). */
  abandon?(): Promise<void>;
  /** Removes the store. */
  cleanup(): Promise<void>;
}

export interface StoreFactory { fresh(): Promise<StoreFixture> }

const worker = join(dirname(fileURLToPath(import.meta.url)), "support", "store-claimer.ts");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => pid !== process.pid && pidIsAlive(pid);

// Task functions the outcome tests run (registered once, by name).
let rawResult: unknown = SPOOL_OK;
registerSpoolFn(() => { throw new Retry(0.2); }, "spool", false, "conf.retry-later");
registerSpoolFn(() => { throw new Unrecoverable("bad input"); }, "spool", false, "conf.unrecoverable");
registerSpoolFn(() => { throw new Error("boom"); }, "spool", false, "conf.throws");
registerSpoolFn(() => rawResult, "raw", false, "conf.raw");
registerSpoolFn(() => undefined, "forever", false, "conf.forever");

/** Registers the whole suite for one store. */
export function runStoreConformance(name: string, factory: StoreFactory): void {
  const t = (title: string, body: (f: Required<StoreFixture>, s: SpoolStore) => Promise<void>, ms = 30_000) =>
    test(`${name}: ${title}`, async () => {
      const raw = await factory.fresh();
      const f: Required<StoreFixture> = {
        open: (o) => openStore(raw.address, o),
        openDeadClaimer: () => f.open({ owner: deadPid() }),
        abandon: async () => {},
        ...raw,
      } as Required<StoreFixture>;
      const opened: SpoolStore[] = [];
      const open0 = f.open;
      f.open = async (o) => { const s = await open0(o); opened.push(s); return s; };
      try {
        await body(f, await f.open());
      } finally {
        for (const s of opened) await s.close().catch(() => {});
        await raw.cleanup();
      }
    }, ms);

  /** Claims, runs through the real runTask, and settles as a spooler does. */
  const runOnce = async (s: SpoolStore, c: ClaimedTask) => applyOutcome(s, c, await runTask(c.task, { id: c.id, attempt: c.task.attempts + 1, dir: "" }));
  const waitClaim = async (s: SpoolStore, ms: number): Promise<ClaimedTask> => {
    const until = Date.now() + ms;
    for (;;) {
      const c = await s.claim();
      if (c) return c;
      if (Date.now() > until) throw new Error(`nothing became claimable within ${ms} ms`);
      await sleep(20);
    }
  };

  t("an accepted task is seen by another handle, with its data, body and trace unchanged", async (f, s) => {
    const args = { when: new Date("2024-02-29T12:34:56.789Z"), blob: new Uint8Array([0, 1, 255]), big: 2n ** 70n, text: "h\u00e9llo \u{1f600}", list: [1, null, { a: 2.5 }] };
    const body = new Uint8Array(10_000).map((_, i) => i % 251);
    const trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const id = await s.enqueue({ name: "convert", args, body, trace });
    const other = await f.open();
    assert.equal((await other.counts()).pending, 1);
    const c = (await other.claim())!;
    assert.equal(c.id, id);
    assert.equal(c.task.name, "convert");
    assert.equal(c.task.args.when.getTime(), args.when.getTime());
    assert.deepEqual([...c.task.args.blob], [...args.blob]);
    assert.equal(c.task.args.big, args.big);
    assert.equal(c.task.args.text, args.text);
    assert.deepEqual(c.task.args.list, args.list);
    assert.deepEqual([...c.task.body!], [...body]);
    assert.equal(c.task.trace, trace);
    assert.equal(c.task.attempts, 0);
    await other.retry(c, { delayMs: 0, countAttempt: false });
    assert.equal((await waitClaim(other, 5000)).task.trace, trace, "the trace survives a retry");
  });

  t("a bad field is refused with SpoolError naming it, and nothing is stored", async (_f, s) => {
    await assert.rejects(s.enqueue({ name: "" }), (e: any) => e instanceof SpoolError && /name must be a non-empty string/.test(e.message));
    await assert.rejects(s.enqueue({ name: "x", priority: -1 }), /priority must be a non-negative integer: got -1/);
    await assert.rejects(s.enqueueMany([{ name: "ok" }, { name: "x", at: NaN }]), /at must be a unix time in ms/);
    assert.equal((await s.counts()).pending, 0);
  });

  t("claims follow priority, then due time, then enqueue order; tasks without a priority run last", async (_f, s) => {
    const now = Date.now();
    const none1 = await s.enqueue({ name: "none-1" });
    const p5late = await s.enqueue({ name: "p5-late", priority: 5, at: now + 300 });
    const p5early = await s.enqueue({ name: "p5-early", priority: 5, at: now + 200 });
    const p0 = await s.enqueue({ name: "p0", priority: 0 });
    const p5enq = await s.enqueue({ name: "p5-enq", priority: 5 });
    const { ids: [p1, none2] } = await s.enqueueMany([{ name: "p1-a", priority: 1 }, { name: "none-2" }]);
    const order = [p0, p1, p5enq, p5early, p5late, none1, none2];
    await sleep(Math.max(0, now + 350 - Date.now()));
    const got: string[] = [];
    for (let c = await s.claim(); c; c = await s.claim()) { got.push(c.id); await s.complete(c); }
    assert.deepEqual(got, order);
  });

  t("a task with a future at is not claimed before its time, then is", async (_f, s) => {
    const at = Date.now() + 400;
    const id = await s.enqueue({ name: "later", at });
    assert.equal(await s.claim(), null);
    assert.ok((await s.nextDueAt())! >= at - 1);
    const c = await waitClaim(s, 5000);
    assert.equal(c.id, id);
    assert.ok(Date.now() >= at, "claimed at or after its at");
  });

  t("a throwing task is retried with back-off, its attempts counted, then fails with its last error", async (_f, s) => {
    const id = await s.enqueue({ name: "conf.throws", retries: 1, backoff: 0.2 });
    const c1 = (await s.claim())!;
    const t0 = Date.now();
    await runOnce(s, c1);
    assert.equal(await s.claim(), null, "not claimable during its back-off");
    const c2 = await waitClaim(s, 5000);
    assert.ok(Date.now() - t0 >= backoffMs({ backoff: 0.2 }, 1) - 20, "waited its back-off");
    assert.equal(c2.id, id);
    assert.equal(c2.task.attempts, 1);
    assert.equal(c2.task.lastError, "Error: boom");
    await runOnce(s, c2);
    const e = await s.get(id);
    assert.equal(e?.state, "failed");
    assert.equal(e?.task?.attempts, 2);
    assert.equal(e?.task?.lastError, "Error: boom (attempt 2)");
    assert.equal((await s.counts()).failed, 1);
  });

  t("Retry(s) runs the task again after s seconds; Unrecoverable fails it at once with its message", async (_f, s) => {
    const r = await s.enqueue({ name: "conf.retry-later", retries: 0 });
    const u = await s.enqueue({ name: "conf.unrecoverable" });
    const t0 = Date.now();
    await runOnce(s, (await s.claim())!);
    await runOnce(s, (await s.claim())!);
    const fu = await s.get(u);
    assert.equal(fu?.state, "failed");
    assert.equal(fu?.task?.attempts, 1);
    assert.equal(fu?.task?.lastError, "Unrecoverable: bad input");
    const again = await waitClaim(s, 5000);
    assert.equal(again.id, r, "Retry never moves a task to failed, even past its retries");
    assert.ok(Date.now() - t0 >= 180, "after its seconds");
    assert.equal(again.task.attempts, 1);
  });

  t("spoolraw: SPOOL_OK completes, SPOOL_IGNORE drops, SPOOL_RETRY runs again uncounted", async (_f, s) => {
    const id = await s.enqueue({ name: "conf.raw" });
    rawResult = SPOOL_RETRY;
    await runOnce(s, (await s.claim())!);
    assert.equal((await s.get(id))?.state, "pending");
    const c = await waitClaim(s, 5000);
    assert.equal(c.task.attempts, 0, "SPOOL_RETRY is not a failure");
    rawResult = SPOOL_OK;
    await runOnce(s, c);
    assert.equal(await s.get(id), null);
    const ig = await s.enqueue({ name: "conf.raw" });
    rawResult = SPOOL_IGNORE;
    await runOnce(s, (await s.claim())!);
    assert.equal(await s.get(ig), null);
    assert.deepEqual(await s.counts(), { pending: 0, running: 0, failed: 0, quarantined: 0 });
    rawResult = SPOOL_OK;
  });

  t("a spoolforever task is queued again after every run, attempts unchanged", async (_f, s) => {
    const id = await s.enqueue({ name: "conf.forever", args: { n: 1 } });
    for (let i = 0; i < 3; i++) {
      const c = await waitClaim(s, 5000);
      assert.equal(c.id, id);
      assert.equal(c.task.attempts, 0);
      await runOnce(s, c);
    }
    assert.equal((await s.counts()).pending, 1);
  });

  t("a dedup key is refused while its task is pending or running, and free once it completed", async (f, s) => {
    const first = await s.enqueue({ name: "k", key: "user-42" });
    const other = await f.open();
    await assert.rejects(other.enqueue({ name: "k", key: "user-42" }), (e: any) => e instanceof SpoolError && e.message.includes(first));
    const c = (await s.claim())!;
    await assert.rejects(other.enqueue({ name: "k", key: "user-42" }), SpoolError);
    const { ids } = await other.enqueueMany([{ name: "k", key: "user-43" }]);
    assert.equal(ids.length, 1);
    await s.complete(c);
    assert.ok(await other.enqueue({ name: "k", key: "user-42" }));
  });

  t("two processes claiming from one store never hold the same task", async (f, s) => {
    const ids: string[] = [];
    for (let b = 0; b < 10; b++) ids.push(...(await s.enqueueMany(Array.from({ length: 100 }, (_, i) => ({ name: "t", args: b * 100 + i })))).ids);
    const tmp = mkdtempSync(join(tmpdir(), "mulefarm-conf-"));
    try {
      const go = join(tmp, "go"), outs = [join(tmp, "a"), join(tmp, "b")];
      const kids = outs.map((out) => {
        const child = spawn(process.execPath, [...runtimeArgs(worker), f.address, go, out], { stdio: ["ignore", "pipe", "inherit"] });
        return {
          ready: new Promise<void>((r) => child.stdout!.on("data", (b) => { if (String(b).includes("ready")) r(); })),
          exited: new Promise<number>((r) => child.on("exit", (code) => r(code ?? -1))),
        };
      });
      await Promise.all(kids.map((k) => k.ready));
      writeFileSync(go, "");
      assert.deepEqual(await Promise.all(kids.map((k) => k.exited)), [0, 0]);
      const claimed = outs.map((o) => readFileSync(o, "utf8").split("\n").filter(Boolean));
      const all = claimed.flat();
      assert.equal(new Set(all).size, all.length, "no id was claimed twice");
      assert.deepEqual([...all].sort(), [...ids].sort(), "every task was claimed");
      assert.deepEqual(await s.counts(), { pending: 0, running: 0, failed: 0, quarantined: 0 });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);

  t("a dead claimer's task is recovered with the attempt counted, and fails past its retries", async (f, s) => {
    const lost = await s.enqueue({ name: "lost", backoff: 0 });
    const crasher = await s.enqueue({ name: "crasher", backoff: 0, retries: 0 });
    const dead = await f.openDeadClaimer();
    assert.equal((await dead.claim())?.id, lost);
    assert.equal((await dead.claim())?.id, crasher);
    await f.abandon();
    const held = await s.claim();
    assert.equal(held, null, "nothing pending while they are held");
    const r = await s.recover(alive);
    assert.deepEqual(r, { requeued: [lost], failed: [crasher] });
    const c = (await s.claim())!;
    assert.equal(c.id, lost, "it runs again: at-least-once");
    assert.equal(c.task.attempts, 1);
    assert.equal(c.task.lastError, "process died while running the task (attempt 1)");
    const fe = await s.get(crasher);
    assert.equal(fe?.state, "failed");
    assert.equal(fe?.task?.lastError, "process died while running the task (attempt 1)");
  });

  t("a claim that was recovered by another can no longer be completed or renewed", async (f, s) => {
    await s.enqueue({ name: "x", backoff: 0 });
    const dead = await f.openDeadClaimer();
    const c = (await dead.claim())!;
    await dead.renew(c);
    await f.abandon();
    await s.recover(alive);
    await assert.rejects(dead.complete(c), SpoolError);
    await assert.rejects(dead.renew(c), SpoolError);
    assert.equal((await s.counts()).pending, 1, "the task is pending once, not lost or doubled");
  });

  t("failed tasks keep their error, are retried with attempts reset, and are purged", async (_f, s) => {
    const a = await s.enqueue({ name: "a" });
    const b = await s.enqueue({ name: "b" });
    await s.fail((await s.claim())!, "first\nline two");
    await s.fail((await s.claim())!, "second");
    const l = await s.list();
    assert.equal(l.failed.count, 2);
    assert.deepEqual(l.failed.entries.map((e) => [e.id, e.task?.lastError, e.task?.attempts]).sort(), [[a, "first", 1], [b, "second", 1]].sort());
    assert.equal(await s.retryFailed(a), 1);
    // Due "now" may be 1 ms after its first due time (a file store never reuses a
    // name): when all of this ran within one millisecond, a claim at once finds nothing yet.
    await new Promise((r) => setTimeout(r, 3));
    const c = (await s.claim())!;
    assert.equal(c.id, a);
    assert.equal(c.task.attempts, 0);
    assert.equal(c.task.lastError, "first");
    assert.equal(await s.purgeFailed(), 1);
    assert.equal((await s.counts()).failed, 0);
  });

  t("an undecodable entry is reported by inspection without being moved, then quarantined by a claim", async (f, _s) => {
    const seen: string[] = [];
    const s = await f.open({ onQuarantine: (_r, reason) => seen.push(reason) });
    await f.writeGarbage();
    const good = await s.enqueue({ name: "good" });
    const before = await s.counts();
    await s.list();
    await s.jobs();
    assert.deepEqual(await s.counts(), before, "inspection moved nothing");
    assert.equal(before.quarantined, 0);
    const c = await s.claim();
    assert.equal(c?.id, good, "the valid task still runs");
    assert.equal(seen.length, 1, "one report");
    const l = await s.list();
    assert.equal(l.quarantined.count, 1);
    assert.ok(l.quarantined.entries[0].reason);
  });

  t("tasks accepted together are claimed one by one, and an interruption re-runs only the unfinished ones", async (f, s) => {
    const { ids } = await s.enqueueMany(Array.from({ length: 5 }, (_, i) => ({ name: "member", args: { i }, backoff: 0 })));
    assert.equal((await s.counts()).pending, 5, "counted as tasks");
    // A claimer finishes the first two, then dies while running the third.
    const dead = await f.openDeadClaimer();
    for (let i = 0; i < 2; i++) {
      const c = (await dead.claim())!;
      assert.equal(c.id, ids[i]);
      assert.equal(c.task.args.i, i);
      await dead.complete(c);
    }
    assert.equal((await dead.claim())?.id, ids[2]);
    await f.abandon();
    await s.recover(alive);
    const rest: ClaimedTask[] = [];
    for (let c = await waitClaim(s, 5000); c; c = await s.claim()) { rest.push(c); await s.complete(c); }
    assert.deepEqual(rest.map((c) => c.id).sort(), ids.slice(2).sort(), "finished members never run again");
    assert.equal(rest.find((c) => c.id === ids[2])!.task.attempts, 1, "the interrupted one has its attempt counted");
    assert.deepEqual(rest.filter((c) => c.id !== ids[2]).map((c) => c.task.attempts), [0, 0]);
    assert.deepEqual(await s.counts(), { pending: 0, running: 0, failed: 0, quarantined: 0 });
  });

  t("a claimer that closes gives back what it took but did not hand out, with nothing counted", async (f, s) => {
    const { ids } = await s.enqueueMany(Array.from({ length: 4 }, (_, i) => ({ name: "member", args: { i } })));
    const first = await f.open();
    const c = (await first.claim())!;
    assert.equal(c.id, ids[0]);
    await first.complete(c);
    await first.close();
    const rest: ClaimedTask[] = [];
    for (let d = await waitClaim(s, 5000); d; d = await s.claim()) { rest.push(d); await s.complete(d); }
    assert.deepEqual(rest.map((d) => d.id), ids.slice(1), "the rest, in order");
    assert.deepEqual(rest.map((d) => d.task.attempts), [0, 0, 0], "no attempt counted");
  });

  t("counts, listings and jobs are per task, and every job reads back as its task", async (_f, s) => {
    const at = Date.now() + 3_600_000;
    const n = 300;
    for (let k = 0; k < n; k += 100) await s.enqueueMany(Array.from({ length: 100 }, (_, i) => ({ name: `fn${(k + i) % 3}`, args: { i: k + i }, at })));
    assert.equal((await s.counts()).pending, n);
    const l = await s.list({ limit: 10 });
    assert.equal(l.pending.count, n);
    assert.equal(l.pending.entries.length, 10);
    for (const e of l.pending.entries) {
      assert.match(e.task!.name, /^fn\d$/);
      assert.equal(e.task!.attempts, 0);
      assert.equal(e.dueAt, at);
    }
    const jobs = await s.jobs();
    assert.equal(jobs.length, n);
    const seen = new Set<number>();
    for (const j of jobs.slice(0, 50).concat(jobs.slice(-50))) seen.add((await s.readTask(j))!.args.i);
    assert.equal(seen.size, 100, "each job names a different task");
    assert.equal((await s.get(l.pending.entries[3].id))?.task?.args.i, l.pending.entries[3].task!.args.i);
  });

  t("a wake from a producer's handle lets a waiting claimer find the task at once", async (f, s) => {
    const claimer = await f.open();
    assert.equal(await claimer.claim(), null);
    const t0 = Date.now();
    const waiting = claimer.waitForWork(20_000);
    const { ids, wake } = await s.enqueueMany([{ name: "w" }]);
    claimer.notify(wake);
    await waiting;
    assert.equal((await claimer.claim())?.id, ids[0]);
    const w2 = claimer.waitForWork(20_000);
    claimer.interrupt();
    await w2;
    assert.ok(Date.now() - t0 < 10_000, "neither wait ran to its end");
  });
}
