import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { alive, freePort, start, stats, tmp, until } from "../lib.ts";

// docs/guarantees.md, Spooler tasks: calls made in the same turn of the event loop are written
// together (group commit: one group directory, one file hard-linked under one name per task);
// a spooler takes the whole group and removes each task's name as it finishes it; killed
// mid-task, the next one runs the task it held again, and the finished siblings are not run again. Fixtures: test/fixtures/spooler/batch-app.ts and batch-tasks.ts.

test("six tasks spooled in one turn share one file; SIGKILL the spooler during the 3rd: the 1st and 2nd do not run again, the 3rd runs twice, the others once", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const out = tmp("mf-spool-");
  const dir = join(out, "spool");
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/spooler/batch-app.ts", "--import", "test/fixtures/spooler/batch-tasks.ts", "--spooler", dir, "--stats", `127.0.0.1:${sport}`], { env: { OUT: out } });
  const steps = () => existsSync(join(out, "steps.log")) ? readFileSync(join(out, "steps.log"), "utf8").trim().split("\n").filter(Boolean).map((l) => l.split(" ")) : [];
  const pendingFiles = () => readdirSync(dir).filter((n) => n.endsWith(".task") || n.endsWith(".group"));
  const running = () => readdirSync(join(dir, "running"));
  try {
    await until(async () => {
      const d = await stats(sport);
      return d.workers.every((w: any) => w.status === "idle") && d.spoolers.every((s: any) => s.pid > 0);
    }, 20000, "ready");
    const spooler = (await stats(sport)).spoolers[0].pid;

    const r = await (await fetch(`http://127.0.0.1:${port}/batch?n=6&block=2`)).json();
    assert.equal(r.ids?.length, 6, JSON.stringify(r));
    assert.equal(new Set(r.ids).size, 6, "six task ids");

    // The 3rd task is running and stays: the 1st and 2nd have finished, the others have not started.
    await until(() => existsSync(join(out, "blocked")), 15000, "the 3rd task running").catch((e) => { console.log(mf.output()); throw e; });
    assert.equal(Number(readFileSync(join(out, "blocked"), "utf8")), spooler);
    assert.deepEqual(steps(), [["start", "0"], ["end", "0"], ["start", "1"], ["end", "1"], ["start", "2"]].map((s) => [...s, String(spooler)]));
    // All six are one file under six names in one group directory, which the spooler took whole:
    // the names of the 1st and 2nd are gone, the 3rd to 6th remain, all the same inode.
    assert.deepEqual(pendingFiles(), [], "nothing else pending");
    assert.equal(running().length, 1, `one claimed group: ${running().join(", ")}`);
    assert.ok(running()[0].endsWith(`.group.${spooler}`), running()[0]);
    const group = join(dir, "running", running()[0]);
    assert.deepEqual(readdirSync(group).sort(), ["02.task", "03.task", "04.task", "05.task"]);
    assert.equal(new Set(readdirSync(group).map((n) => statSync(join(group, n)).ino)).size, 1, "one file written for the six");

    process.kill(spooler, "SIGKILL");
    let successor = 0;
    await until(async () => {
      const p = (await stats(sport)).spoolers[0].pid;
      if (p > 0 && p !== spooler && alive(p)) successor = p;
      return successor;
    }, 15000, "the spooler respawned");

    // The 3rd runs again and the 4th to 6th run, in the successor; then the directory is empty.
    await until(() => [2, 3, 4, 5].every((i) => steps().some(([e, n]) => e === "end" && Number(n) === i)), 20000, "the unfinished tasks finished").catch((e) => { console.log(mf.output()); throw e; });
    await until(() => pendingFiles().length === 0 && running().length === 0, 10000, "nothing left pending or running");
    const starts = [0, 1, 2, 3, 4, 5].map((i) => steps().filter(([e, n]) => e === "start" && Number(n) === i).length);
    const ends = [0, 1, 2, 3, 4, 5].map((i) => steps().filter(([e, n]) => e === "end" && Number(n) === i).length);
    assert.deepEqual(starts, [1, 1, 2, 1, 1, 1], `runs per task:\n${steps().map((s) => s.join(" ")).join("\n")}`);
    assert.deepEqual(ends, [1, 1, 1, 1, 1, 1]);
    for (const [e, n, pid] of steps().slice(5)) assert.equal(Number(pid), successor, `${e} ${n} ran in the successor`);
    assert.deepEqual(readdirSync(join(dir, "failed")), [], "nothing failed");
    assert.match(mf.output(), /recovered tasks of dead spoolers: 1 queued again/);
  } finally { await mf.stop(); }
}, 60000);
