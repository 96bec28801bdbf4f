import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { parseCommandLine } from "../../../cmd/config.ts";
import { newHistogram, observeInto } from "../../../core/base/histogram.ts";
import { slotsFor } from "../../../core/master/slots.ts";
import { statsDocument } from "../../../core/master/stats-document.ts";
import type { MasterApi, Proc } from "../../../core/engine.ts";
import { shapeDiff } from "./shape-diff.ts";

// uWSGI 2.0.21's document (test/fixtures/compat/uwsgi-2.0.21-stats.json, read
// from the real server's --stats with 2 workers, a cache, a mule, a spooler
// and a cron; pids and paths replaced) against the part of mulefarm's that the
// stats document itself builds: the top-level fields, sockets[] and workers[]
// with apps[] and cores[]. Locks, caches, spoolers and crons come from the
// engines: the e2e compares the whole document with a running uWSGI.
const UWSGI = JSON.parse(readFileSync(new URL("../../fixtures/compat/uwsgi-2.0.21-stats.json", import.meta.url), "utf8"));

function documentOfTwoWorkers(): any {
  const config = parseCommandLine(["--http", "127.0.0.1:8080", "-p", "2", "--module", "examples/hello.ts"], {});
  const slots = slotsFor(config);
  for (const s of slots) {
    // This test's own process stands in for each worker's, so /proc has real figures.
    s.current = { pid: process.pid, ready: true } as unknown as Proc;
    s.status = "idle";
    const h = newHistogram();
    observeInto(h, 0.002);
    observeInto(h, 0.004);
    s.stats = { requests: 2, exceptions: 0, request_seconds: h, in_request: 0 };
  }
  const api = { config, slots, runtimeDir: "/tmp", slotsOf: (r: string) => slots.filter((s) => s.role === r) } as unknown as MasterApi;
  return statsDocument({ api, engines: [], startedOn: 1700000000 });
}

test("the top-level fields, sockets[] and workers[] (apps[], cores[]) have every key of uWSGI 2.0.21's with its JSON type", () => {
  const ours = documentOfTwoWorkers();
  const theirs = { ...UWSGI };
  for (const k of ["locks", "caches", "spoolers", "crons"]) delete theirs[k]; // the engines' part
  assert.deepEqual(shapeDiff(theirs, ours), []);
});

test("uWSGI's worker figures come from mulefarm's: one core, requests in apps and cores, running_time and avg_rt in microseconds", () => {
  const w = documentOfTwoWorkers().workers[0];
  assert.deepEqual([w.accepting, w.requests, w.delta_requests, w.status, w.tx], [1, 2, 2, "idle", 0]);
  assert.deepEqual([w.running_time, w.avg_rt], [6000, 3000]);
  assert.equal(w.cores.length, 1);
  assert.deepEqual([w.cores[0].requests, w.cores[0].in_request, w.apps[0].requests], [2, 0, 2]);
  assert.ok(w.vsz > w.rss && w.rss > 0);
});

test("a request in hand makes the worker busy, its core in_request, and the instance's load", () => {
  const config = parseCommandLine(["--http", "127.0.0.1:8080", "-p", "2", "--module", "examples/hello.ts"], {});
  const slots = slotsFor(config);
  for (const s of slots) { s.current = { pid: process.pid, ready: true } as unknown as Proc; s.status = "idle"; s.stats = { requests: 1, in_request: s.id === 2 ? 1 : 0 }; }
  const api = { config, slots, runtimeDir: "/tmp", slotsOf: (r: string) => slots.filter((s) => s.role === r) } as unknown as MasterApi;
  const d: any = statsDocument({ api, engines: [], startedOn: 0 });
  assert.deepEqual(d.workers.map((w: any) => [w.status, w.cores[0].in_request]), [["idle", 0], ["busy", 1]]);
  assert.equal(d.load, 1);
});
