import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { until } from "../lib.ts";
import { raise, startSignals } from "../signal-lib.ts";

test("signalWait() in a mule resolves with 17 after a worker raises 17", async () => {
  // The waiter is mule 2, the target of signal 17 in tasks.ts.
  const s = await startSignals(["--mules", "1", "--mule=test/fixtures/signals/waiter.ts"], {}, 1);
  try {
    await until(() => { try { return readFileSync(`${s.out}/waiter.ready`); } catch { return null; } }, 10000, "waiter");
    assert.equal(await raise(s.port, 17), "raised");
    const got = await until(() => { try { return readFileSync(`${s.out}/waited.txt`, "utf8"); } catch { return null; } }, 5000, "waited.txt");
    assert.equal(got, "17 17");
  } finally { await s.mf.stop(); }
}, 30000);
