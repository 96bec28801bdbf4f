import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { toSinks } from "../../../core/log.ts";
import { EventRing, kindOf } from "../../../core/dashboard/events.ts";

test("the page's event log keeps the master's lines (not its children's), classifies them, and keeps the last N", () => {
  const ring = new EventRing(5);
  const seen: string[] = [];
  ring.onEvent((e) => seen.push(e.kind));
  try {
    toSinks("[master] spawned worker 1 (pid 42)");
    toSinks("[worker 1] hello from the app");
    toSinks("[master] worker 1 (pid 42) killed by SIGKILL; respawning");
    assert.deepEqual(seen, ["spawn", "respawn"]);
    for (let i = 0; i < 20; i++) toSinks(`[master] line ${i}`);
    assert.equal(ring.all().length, 5);
    assert.equal(ring.all().at(-1)!.text, "line 19");
    assert.equal(kindOf("worker 2 (pid 7) exited with code 1 after reload"), "reload");
    assert.equal(kindOf("mule 1 (pid 9) exited with code 3"), "exit");
    assert.equal(kindOf("graceful reload: workers one at a time, then mules and spoolers"), "reload");
  } finally { ring.close(); }
  toSinks("[master] after close");
  assert.equal(seen.length, 22);
});
