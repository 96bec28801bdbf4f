// Acceptance 5 (signals): raiseSignal(17, "cluster") in instance A runs
// signal 17's registered handler in A and in B, once each.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { sleep, until } from "../lib.ts";
import { twoInstances } from "./two-instances.ts";

test("a cluster signal raised in instance A runs its handler once in A and once in B", async () => {
  const p = await twoInstances();
  const lines = () => (existsSync(`${p.out}/signals.log`) ? readFileSync(`${p.out}/signals.log`, "utf8").split("\n").filter(Boolean).sort() : []);
  try {
    assert.equal(await p.get("a", "/raise/17"), "raised");
    await until(() => lines().length >= 2, 10_000, "the handler ran in both instances");
    await sleep(500);
    assert.deepEqual(lines(), ["A", "B"]);
    assert.equal(await p.get("b", "/raise/17"), "raised");
    await until(() => lines().length >= 4, 10_000, "B's raise ran in both too");
    await sleep(500);
    assert.deepEqual(lines(), ["A", "A", "B", "B"]);
  } finally {
    await p.stop();
  }
}, 60_000);
