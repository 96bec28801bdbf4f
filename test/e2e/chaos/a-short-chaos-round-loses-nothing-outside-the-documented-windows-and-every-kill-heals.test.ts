import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { ROOT, RUNTIME, tmp } from "../lib.ts";

// `npm run chaos`, one short round (test/chaos/run.ts): a worker, a mule, the
// spooler, the sender and the master are SIGKILLed at random moments under a
// mule flood, a farm flood, spooled tasks, signals, a timer and HTTP load.
// Nothing accepted is lost except what the master held when it was killed
// (documented, counted apart) and what a killed sender still had in its write
// buffer on the master path (documented); every kill heals.
test("one chaos round of 15 s: no accepted mule message, farm message, task or signal lost outside the documented windows; every kill heals", async () => {
  const out = join(tmp("mf-chaos-test-"), "result.json");
  const child = spawn(join(ROOT, "node_modules/.bin/bun"), [join(ROOT, "test/chaos/run.ts"), "--rounds", "1", "--seconds", "15", "--batch", "20", "--runtime", RUNTIME, "--json", out], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout!.on("data", (b) => (text += b));
  child.stderr!.on("data", (b) => (text += b));
  const code = await new Promise((r) => child.once("exit", r));
  const r = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(r.lost, 0, text);
  assert.ok(r.healed, text);
  for (const kind of ["mule", "farm", "task", "signal"]) assert.ok(r.sum[kind].accepted > 0 && r.sum[kind].delivered > 0, `${kind}: ${JSON.stringify(r.sum[kind])}`);
  assert.deepEqual(r.kills.map((k: any) => k.what).sort(), ["master", "mule", "sender", "spooler", "worker"]);
  assert.equal(code, 0, text);
}, 60000);
