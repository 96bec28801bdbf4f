import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { start, tmp, until } from "../lib.ts";

test("a process SIGKILLed while holding lock 1: another process gets the lock within 1 s", async () => {
  const out = tmp();
  const m = "--mule=test/fixtures/shared/lock-holder.ts";
  const mf = start([m, m, "--locks", "1"], { env: { OUT: out } });
  try {
    await until(() => existsSync(`${out}/holder.pid`) && existsSync(`${out}/waiting`), 15000, "holder and waiter");
    const pid = Number(readFileSync(`${out}/holder.pid`, "utf8"));
    const t0 = Date.now();
    process.kill(pid, "SIGKILL");
    await until(() => existsSync(`${out}/acquired`), 3000, "lock acquired");
    const took = Number(readFileSync(`${out}/acquired`, "utf8")) - t0;
    assert.ok(took < 1000, `took ${took} ms`);
  } finally { await mf.stop(); }
}, 30000);
