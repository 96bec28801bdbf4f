// --grant entries used to be dropped without a word when they were neither a
// capability nor NAME:CAP, or named no plugin and no light mule: the operator
// believed something granted that nothing got. Now they stop the start (exit
// 2) with one line naming the entry and why; every documented form still works.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, run, start, stats, until } from "../lib.ts";

const MULE = "--mule=sandbox:test/fixtures/sandbox/counter.ts";
const FORMS = "log, signal, mule, cache, spool, fetch:HOST, fs:read:DIR, env:NAME";

async function refused(args: string[], line: string) {
  const r = await run(args);
  assert.equal(r.code, 2, r.output);
  assert.deepEqual(r.output.trim().split("\n"), [`mulefarm: ${line}`]);
}

test("a grant that is not NAME:CAP or a capability, or whose NAME is no plugin or light mule, exits 2 naming it", async () => {
  await refused([MULE, "--grant", "nocolon"], `--grant must be NAME:CAP: got "nocolon" (or a bare capability: ${FORMS})`);
  await refused([MULE, "--grant", "fetch:no host"], `--grant "fetch:no host" is not a capability (one of ${FORMS})`);
  await refused([MULE, "--grant", "mule1:cach"], `--grant mule1:cach: "cach" is not a capability (one of ${FORMS})`);
  // Mule 1 is a process mule: grants go to plugins and light mules only.
  await refused(["--mules", "1", MULE, "--grant", "nope:log"], "--grant nope:log names no loaded plugin or light mule (loaded: mule2)");
  await refused(["--mules", "1", MULE, "--grant", "mule1:cache"], "--grant mule1:cache names no loaded plugin or light mule (loaded: mule2)");
  // With plugins, their manifest names count (known once they are loaded).
  const app = ["--http", `127.0.0.1:${await freePort()}`, "--module", "examples/hello.ts", "--plugin", "test/fixtures/plugins-e2e/mw.ts", "--grant", "mw:log"];
  await refused([...app, MULE, "--grant", "nope:log"], "--grant nope:log names no loaded plugin or light mule (loaded: mw, mule1)");
}, 60000);

test("bare, plugin-named and mule-named grants still start and reach their plugin and light mule", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start([
    "--http", `127.0.0.1:${port}`, "--module", "test/fixtures/sandbox/app.ts", "--cache2", "name=default,items=100,blocksize=256", "--stats", `127.0.0.1:${sport}`,
    "--plugin", "test/fixtures/plugins-e2e/mw.ts", MULE, "--grant", "mw:log", "--grant", "mule1:cache", "--grant", "log",
  ]);
  try {
    await until(async () => { const x = await stats(sport); return x.workers[0].status === "idle" && x.mules[0]?.status === "idle"; }, 20000, "ready");
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/plugin`)).text(), "answered by plugin mw");
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/send?to=1&n=3`)).text(), "sent");
    const s = await until(async () => { const t = await (await fetch(`http://127.0.0.1:${port}/summary?id=1`)).text(); return t !== "none" ? JSON.parse(t) : null; }, 15000, "summary");
    assert.equal(s.count, 3);
  } finally { await mf.stop(); }
}, 60000);
