// --fs-reload PATH: a deploy that writes several files into a watched
// directory gets one graceful reload (new worker processes), not one per file:
// a burst of inotify changes within 100 ms is one reload.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "../../harness.ts";
import { freePort, sleep, start, stats, tmp, until } from "../lib.ts";

test("--fs-reload DIR: five files written into DIR within ~50 ms replace every worker in exactly one graceful reload", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const dir = tmp("mf-fsreload-");
  const mf = start(["--http", `127.0.0.1:${port}`, "-p", "2", "--module", "examples/hello.ts", "--fs-reload", dir, "--stats", `127.0.0.1:${sport}`, "--reload-mercy", "5"]);
  const count = (re: RegExp) => mf.output().match(new RegExp(re.source, "g"))?.length ?? 0;
  const pids = async () => (await stats(sport)).workers.map((w: any) => w.pid).sort();
  try {
    await until(async () => (await stats(sport))?.workers.every((w: any) => w.status === "idle"), 20000, "ready");
    const before = await pids();
    await sleep(300);
    assert.deepEqual(await pids(), before, "no reload while the directory is untouched");
    assert.equal(count(/changed: reloading|graceful reload/), 0);

    // One burst: a file every ~12 ms (spinning, so a timer's lateness can't stretch it).
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) {
      while (Date.now() < t0 + i * 12) { /* spin */ }
      writeFileSync(join(dir, `release-${i}.ts`), `export const v = ${i};\n`);
    }
    const span = Date.now() - t0;

    await until(() => count(/reload done/) >= 1, 30000, "reload done");
    await until(async () => { const now = await pids(); return now.every((p: number) => p > 0 && !before.includes(p)) && (await stats(sport)).workers.every((w: any) => w.status === "idle"); }, 15000, "both workers replaced");
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200);
    const after = await pids();
    await sleep(1500); // a second reload (a second burst) would have started by now
    const out = mf.output();
    assert.deepEqual(await pids(), after, `one burst, one reload (the writes took ${span} ms)`);
    assert.equal(count(/fs-reload .* changed: reloading/), 1, `one burst is one reload (the writes took ${span} ms):\n${out}`);
    assert.equal(count(/graceful reload: workers one at a time/), 1, out);
    assert.equal(count(/reload done/), 1, out);
    assert.doesNotMatch(out, /reload requested during a reload/);
    const trig = (await stats(sport)).file_triggers.find((t: any) => t.kind === "fs-reload");
    assert.deepEqual({ path: trig.path, fired: trig.fired }, { path: dir, fired: 1 });
  } finally { await mf.stop(); }
}, 60000);
