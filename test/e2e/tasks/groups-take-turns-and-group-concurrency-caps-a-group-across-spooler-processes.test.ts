import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { run, until } from "../lib.ts";
import { STORES, startTasks } from "../tasks-lib.ts";

// Tasks spooled with `group`: one busy group (20 tasks, spooled first) and
// three small ones (2 each), two spooler processes, --spooler-group-concurrency 1.
// Claims take turns between groups, so the small groups end before the busy
// one has run 10; two tasks of one group never run at once (their intervals,
// logged by the tasks, never overlap); within a group, enqueue order holds.
// `spool ls` and the stats list the groups.
for (const kind of STORES) {
  test(`${kind} store: groups take turns, and --spooler-group-concurrency caps a group across spooler processes`, async () => {
    const t = await startTasks(kind, ["--spooler-processes", "2", "--spooler-group-concurrency", "1"]);
    try {
      const r = await t.get("/groups");
      assert.equal(r.n, 26, JSON.stringify(r));
      const runs = t.log("grouped").map((l) => { const [tag, s, e] = l.split(" "); return { tag, g: tag.split("-")[0], s: Number(s), e: Number(e) }; });
      assert.equal(runs.length, 26);
      const byStart = [...runs].sort((x, y) => x.s - y.s);
      const tenthBig = byStart.filter((x) => x.g === "big")[9];
      for (const x of runs.filter((x) => x.g !== "big")) assert.ok(x.e <= tenthBig.s, `${x.tag} ended before big's 10th started`);
      for (const g of ["big", "a", "b", "c"]) {
        const mine = byStart.filter((x) => x.g === g);
        for (let i = 1; i < mine.length; i++) assert.ok(mine[i].s >= mine[i - 1].e, `${g}: ${mine[i - 1].tag} and ${mine[i].tag} overlapped`);
      }
      assert.deepEqual(byStart.filter((x) => x.g === "big").map((x) => x.tag), Array.from({ length: 20 }, (_, i) => `big-${i + 1}`));
      const ls = await run(["spool", "ls", t.address]);
      assert.match(ls.output, /group big: 0 pending, 0 running, 0 failed/, ls.output);
      await until(async () => (await t.stats()).spoolers[0].groups?.length === 4, 10000, "the stats list the groups");
    } finally {
      await t.stop();
    }
  }, 90_000);
}
