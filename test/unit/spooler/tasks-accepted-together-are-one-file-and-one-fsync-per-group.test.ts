// Group commit in the file store: tasks accepted in one call are written as
// one group directory per (priority, due time): one file, fsynced once and
// hard-linked under one name per task (NN.task), the group directory's
// entries fsynced, then each parent directory fsynced once. With strace on
// the machine the fsyncs are counted; the links are checked either way.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "../../harness.ts";
import { withSpoolDir } from "./support/spool-dir.ts";
import { runtimeArgs } from "./support/procs.ts";
import { openStore } from "../../../core/spooler/open.ts";

const child = join(dirname(fileURLToPath(import.meta.url)), "support", "enqueue-group.ts");
const hasStrace = spawnSync("strace", ["-V"]).status === 0;

/** Runs the child under strace when there is one; returns how many fsync calls it made (null without strace). */
function enqueueInChild(dir: string, sync: string): number | null {
  const cmd = [process.execPath, ...runtimeArgs(child), dir, sync];
  if (!hasStrace) {
    assert.equal(spawnSync(cmd[0], cmd.slice(1), { encoding: "utf8" }).stdout.trim(), "ok");
    return null;
  }
  const log = join(dirname(dir), "strace.log");
  const r = spawnSync("strace", ["-f", "-qq", "-e", "trace=fsync,fdatasync", "-o", log, ...cmd], { encoding: "utf8" });
  assert.equal(r.stdout.trim(), "ok", r.stderr);
  return readFileSync(log, "utf8").split("\n").filter((l) => /\bf(data)?sync\(/.test(l) && !l.includes("resumed")).length;
}

test("100 tasks accepted in one call are two group directories of one linked file, each fsynced once, and one fsync per parent", () =>
  withSpoolDir(async (dir) => {
    const fsyncs = enqueueInChild(dir, "always");
    const groupIn = (d: string) => {
      const g = readdirSync(d).filter((n) => n.endsWith(".group"));
      assert.equal(g.length, 1, `one group directory in ${d}`);
      return join(d, g[0]);
    };
    for (const g of [groupIn(dir), groupIn(join(dir, "3"))]) {
      const names = readdirSync(g);
      assert.equal(names.length, 50);
      assert.equal(new Set(names.map((n) => statSync(join(g, n)).ino)).size, 1, "one file per group");
      assert.equal(statSync(join(g, names[0])).nlink, 50, "linked once per task");
    }
    assert.deepEqual(readdirSync(join(dir, ".tmp")), [], "no temp file left");
    if (fsyncs !== null) assert.equal(fsyncs, 6, "two group files, two group directories, and their parents (the spool dir, with 3/ made new, and 3/)");
    const store = await openStore(dir);
    assert.equal((await store.counts()).pending, 100);
    const order: number[] = [];
    for (let c = await store.claim(); c; c = await store.claim()) { order.push(c.task.args.i); await store.complete(c); }
    const odd = order.filter((i) => i % 2 === 1), even = order.filter((i) => i % 2 === 0);
    assert.deepEqual(order, [...odd, ...even], "priority 3 first");
    assert.deepEqual(odd, [...odd].sort((a, b) => a - b), "each group in input order");
    assert.deepEqual(even, [...even].sort((a, b) => a - b));
  }), 60_000);

test("with --spooler-sync none nothing is fsynced", () =>
  withSpoolDir(async (dir) => {
    const fsyncs = enqueueInChild(dir, "none");
    if (fsyncs !== null) assert.equal(fsyncs, 0);
    assert.equal((await (await openStore(dir)).counts()).pending, 100);
  }), 60_000);
