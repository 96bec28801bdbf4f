import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { freePort, start, tmp, until } from "../lib.ts";

// Seed 003's decorators, imported from mulefarm/uwsgidecorators and declared
// at a module's top level (test/fixtures/compat/decorators.ts): spool,
// spoolforever and spoolraw run in the spooler; signal, timer, rbtimer, cron,
// filemon and mulefunc in mule 1. (lock, rpc, thread, harakiri and postfork:
// compat-names-behave-like-their-camelcase-twins; erlang: NotSupported, unit.)
test("spool, spoolforever, spoolraw, signal, timer, rbtimer, cron, filemon and mulefunc from mulefarm/uwsgidecorators run where they should", async () => {
  const out = tmp();
  mkdirSync(join(out, "watched"));
  const port = await freePort();
  const fx = "test/fixtures/compat/decorators.ts";
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", fx, "--import", fx, "--mule", "--spooler", join(out, "spool")], { env: { OUT: out } });
  const lines = () => { try { return readFileSync(join(out, "ran"), "utf8").trim().split("\n"); } catch { return []; } };
  const count = (l: string) => lines().filter((x) => x === l).length;
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/go`).catch(() => null))?.status === 200, 20000, "/go");
    await until(() => count("spool:7 spooler") === 1 && count("spoolforever spooler") >= 2 && count("spoolraw spooler") === 1
      && count("signal mule") >= 1 && count("mulefunc:5 mule") === 1 && count("filemon mule") >= 1
      && count("timer mule") >= 2 && count("rbtimer mule") === 2 && count("cron mule") >= 1, 20000, `every decorator to run (so far: ${lines().join(", ")})`);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(count("rbtimer mule"), 2, "rbtimer stops after its 2 iterations");
    assert.deepEqual(lines().filter((l) => !/ (mule|spooler)$/.test(l)), [], "nothing ran in the worker");
  } finally { await mf.stop(); }
}, 60000);
