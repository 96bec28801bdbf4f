import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { alive, freePort, start, stats, tmp, until } from "../lib.ts";

// docs/guarantees.md, Signals: a process that dies with signals unfinished hands them to its
// successor, at most --signal-max-redeliveries times (default 1); a signal left unfinished
// once more is parked with a log line (and counted), so a handler that kills its process cannot loop.
// Mule 1's handlers for 41 and 42 exit the process every time (test/fixtures/signals/exit-in-handler.ts).

async function startInstance(env: Record<string, string> = {}) {
  const [port, sport] = [await freePort(), await freePort()];
  const out = tmp("mf-sig-");
  const mf = start(["--http", `127.0.0.1:${port}`, "-p", "1", "--mules", "1", "--module", "test/fixtures/signals/exit-in-handler.ts", "--stats", `127.0.0.1:${sport}`], { env: { OUT: out, ...env } });
  await until(async () => {
    const d = await stats(sport);
    return [...d.workers, ...d.mules].every((x: any) => x.status === "idle") && [41, 42, 43].every((n) => d.signals?.some((s: any) => s.num === n));
  }, 20000, "instance ready with signals registered");
  const get = async (path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).text();
  const lines = (f: string) => existsSync(`${out}/${f}`) ? readFileSync(`${out}/${f}`, "utf8").trim().split("\n").filter(Boolean).map((l) => l.split(" ")) : [];
  const mule1 = async () => (await stats(sport)).mules.find((m: any) => m.id === 1);
  return { mf, out, sport, get, lines, mule1 };
}

/** Raises `num` once (through the worker) and checks it ran in mule 1 and its successor, then was parked. */
async function raiseOnceAndExpectTwoRuns(s: Awaited<ReturnType<typeof startInstance>>, num: number) {
  const first = await s.mule1();
  assert.equal(await s.get(`/raise/${num}`), "raised");
  const dropped = await s.mf.waitFor(new RegExp(`mule 1 \\(pid (\\d+)\\) left \\d+ signal\\(s\\) unfinished that were already delivered twice: parked \\(--signal-max-redeliveries 1`), 20000);
  // The instance keeps running: mule 1 is respawned once more and its new process handles signals.
  let current = 0;
  await until(async () => {
    const m = await s.mule1();
    if (!m?.pid || Number(m.pid) === Number(dropped[1]) || !alive(m.pid)) return false;
    current = m.pid;
    await s.get("/raise/43");
    return s.lines("alive.log").some(([, pid]) => Number(pid) === current);
  }, 20000, "mule 1's latest process handles signal 43");
  const runs = s.lines("exits.log").filter(([n]) => Number(n) === num).map(([, pid]) => Number(pid));
  assert.equal(runs.length, 2, `signal ${num} ran in ${runs.length} processes (${runs.join(", ")}), not 2:\n${s.mf.output().slice(-3000)}`);
  assert.equal(runs[0], first.pid, "first in the mule 1 that was running");
  assert.notEqual(runs[1], runs[0], "then in its successor");
  assert.equal(Number(dropped[1]), runs[1], "the successor's death parks it");
  assert.equal((await stats(s.sport)).signals.find((x: any) => x.num === num)?.parked, 1, "the stats count it");
  // Who handed it on: the master (it delivered it) or the raiser (it sent it straight to mule 1).
  assert.match(s.mf.output(), new RegExp(`mule 1 \\(pid ${runs[0]}\\) left \\d+ signal\\(s\\) unfinished: they go to its successor|\\[worker 1\\] \\d+ signal\\(s\\) sent straight to mule1 were unfinished when it went away`));
  assert.ok(!runs.includes(current), "the latest mule 1 did not run it");
  const m = await s.mule1();
  assert.equal(m.respawn_count, first.respawn_count + 2, JSON.stringify(m));
  assert.ok(alive(s.mf.pid), "the master runs");
  assert.equal(await s.get("/"), "ok", "the worker answers");
}

test("through the master: a signal whose handler exits its process runs in the mule and in its successor, then is parked with a log line", async () => {
  const s = await startInstance();
  try {
    await raiseOnceAndExpectTwoRuns(s, 41);
  } finally { await s.mf.stop(); }
}, 60000);

async function direct(env: Record<string, string> = {}) {
  const s = await startInstance(env);
  try {
    // The worker's first raises go through the master while it connects to mule 1.
    await until(async () => (await s.get("/direct")) === "direct", 10000, "the worker raises straight at mule 1");
    await raiseOnceAndExpectTwoRuns(s, 42);
  } finally { await s.mf.stop(); }
}

test("direct delivery: a signal whose handler exits its process runs in the mule and in its successor, then is parked with a log line", () => direct(), 60000);

// The raiser's re-raise and the master's view of the death reach the master in
// either order; a test hook makes the master take them in the order named
// (core/signals/handoff-order.ts), so both orders run on every run. Before the
// fix, the first order delivered the re-raise to the dead process itself,
// which then "dropped" it: one run instead of two.
test("direct delivery, the re-raise routed while the master still holds the dead process's record: the same two runs", () => direct({ MULEFARM_TEST_SIGNAL_HANDOFF: "reraise-first" }), 60000);
test("direct delivery, the re-raise routed after the master ended the dead process's record: the same two runs", () => direct({ MULEFARM_TEST_SIGNAL_HANDOFF: "death-first" }), 60000);
