import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { run } from "../lib.ts";

test("mulefarm bench-ipc passes 100k framed messages to a child, loses none, and exits 0", async () => {
  const r = await run(["bench-ipc", "--frames", "100000", "--size", "32"], { timeoutMs: 30000 });
  assert.equal(r.code, 0, r.output);
  const j = JSON.parse(r.output.trim().split("\n").pop()!);
  assert.equal(j.received, 100000);
  assert.equal(j.lost, 0);
  assert.ok(j.frames_per_s > 0);
}, 40000);
