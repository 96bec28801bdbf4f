import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { sleep, until } from "../lib.ts";
import { raise, startSignals } from "../signal-lib.ts";

test("signal targets: mule2 runs in mule 2 only, mules in every mule, workers in every worker, worker in exactly one", async () => {
  const s = await startSignals(["--mules", "3"]);
  try {
    await raise(s.port, 17);
    await raise(s.port, 18);
    await raise(s.port, 19);
    await raise(s.port, 20);
    await until(() => s.lines("s17").length >= 1 && s.lines("s18").length >= 3 && s.lines("s19").length >= 2 && s.lines("s20").length >= 1, 10000, "handlers");
    await sleep(300); // nothing more arrives
    assert.deepEqual(s.lines("s17").map((l) => `${l[1]} ${l[2]}`), ["mule 2"]);
    assert.deepEqual(s.lines("s18").map((l) => `${l[1]} ${l[2]}`).sort(), ["mule 1", "mule 2", "mule 3"]);
    assert.deepEqual(s.lines("s19").map((l) => `${l[1]} ${l[2]}`).sort(), ["worker 1", "worker 2"]);
    assert.equal(s.lines("s20").length, 1);
    assert.equal(s.lines("s20")[0][1], "worker");
  } finally { await s.mf.stop(); }
}, 40000);
