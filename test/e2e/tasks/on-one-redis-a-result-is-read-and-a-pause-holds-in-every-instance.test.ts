import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { run, sleep, until } from "../lib.ts";
import { startTasks } from "../tasks-lib.ts";

// Two instances on one Redis spool: a task spooled on A has its result read
// by a request handler on B; a pause set through A holds B's spoolers too,
// and resume lets the held task run (on either).
test("two instances on one Redis: a result spooled on A is read on B; a pause holds both; resume lets the task go", async () => {
  const a = await startTasks("redis");
  const b = await startTasks("redis", [], a.redis!);
  try {
    const { id } = await a.get("/spool-double?n=4");
    const r = await b.get(`/result?id=${id}&timeout=20`);
    assert.deepEqual(r.result, { twice: 8 }, JSON.stringify(r));

    await a.get("/pause");
    const held = await a.get("/marker?tag=held");
    const held2 = await b.get("/marker?tag=held2");
    assert.ok(held.id && held2.id);
    await sleep(1000);
    assert.deepEqual([...a.log("marker"), ...b.log("marker")], [], "no claim on either instance");
    const ls = await run(["spool", "ls", b.address]);
    assert.match(ls.output, /2 pending.*\(paused\)/, ls.output);
    await b.get("/resume");
    await until(() => [...a.log("marker"), ...b.log("marker")].length === 2, 15000, "both held tasks ran");
  } finally {
    await b.stop();
    await a.stop();
  }
}, 120_000);
