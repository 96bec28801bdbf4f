// `--timer "17 0.001"` with no handler for 17 wrote "has no registered
// handler: dropped" a thousand times a second. The first drop of a number is
// logged, later ones at most every 10 s with their count.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { sleep, start } from "../lib.ts";

test("a 10 ms timer with no handler logs its drop once over two seconds, and the instance runs on", async () => {
  const mf = start(["--mules", "1", "--timer", "17 0.01"]);
  try {
    await mf.waitFor(/signal 17 \(timer\) has no registered handler: dropped/);
    await sleep(2000);
    const lines = mf.output().split("\n").filter((l) => l.includes("signal 17 (timer) has no registered handler"));
    assert.equal(lines.length, 1, mf.output().slice(-2000));
  } finally {
    const r = await mf.stop();
    assert.equal(r.code, 0);
  }
}, 30000);
