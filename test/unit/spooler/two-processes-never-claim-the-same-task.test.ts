import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "../../harness.ts";
import { runtimeArgs, withSpoolDir } from "./support/spool-dir.ts";
import { FileSpoolStore } from "../../../core/spooler/file-store.ts";

const worker = join(dirname(fileURLToPath(import.meta.url)), "support", "claim-worker.ts");

function startWorker(dir: string, go: string, out: string) {
  const child = spawn(process.execPath, [...runtimeArgs(worker), dir, go, out], { stdio: ["ignore", "pipe", "inherit"] });
  const ready = new Promise<void>((resolve) => child.stdout!.on("data", (b) => { if (String(b).includes("ready")) resolve(); }));
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  return { ready, exited };
}

test("two processes claiming from one spool dir never claim the same task", () =>
  withSpoolDir(async (dir) => {
    const store = new FileSpoolStore(dir);
    const ids: string[] = [];
    for (let b = 0; b < 20; b++) {
      ids.push(...await store.enqueueMany(Array.from({ length: 100 }, (_, i) => ({ name: "t", args: b * 100 + i }))));
    }
    const go = join(dir, "..", "go"), outs = [join(dir, "..", "a.out"), join(dir, "..", "b.out")];
    const workers = outs.map((out) => startWorker(dir, go, out));
    await Promise.all(workers.map((w) => w.ready));
    writeFileSync(go, "");
    assert.deepEqual(await Promise.all(workers.map((w) => w.exited)), [0, 0]);

    const claimed = outs.map((o) => readFileSync(o, "utf8").split("\n").filter(Boolean));
    const all = claimed.flat();
    assert.equal(new Set(all).size, all.length, "no id was claimed twice");
    assert.deepEqual([...all].sort(), [...ids].sort(), "every id was completed");
    assert.ok(claimed[0].length > 0 && claimed[1].length > 0, `both processes worked: ${claimed.map((c) => c.length)}`);
    const listing = await store.list();
    assert.equal(listing.pending.count + listing.running.count, 0);
  }), 120_000);
