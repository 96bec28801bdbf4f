// uWSGI's option forms of the clocks: --fs-signal "PATH SIG" (a file
// monitor), --touch-signal "FILE SIG" (the file's mtime, checked every
// second) and --rbtimer "SIG S", next to handlers registered in the app.
import assert from "node:assert/strict";
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { sleep, stats, tmp, until } from "../lib.ts";
import { startSignals } from "../signal-lib.ts";

test("--fs-signal, --touch-signal and --rbtimer raise their signals at the registered targets", async () => {
  const dir = tmp("mf-fs-signal-");
  mkdirSync(dir, { recursive: true });
  const touched = `${dir}-touch`;
  writeFileSync(touched, "x");
  const s = await startSignals(["--mules", "2", "--fs-signal", `${dir} 18`, "--touch-signal", `${touched} 21`, "--rbtimer", "20 0.2"]);
  try {
    await until(async () => s.lines("s20").length >= 3, 5000, "the 0.2 s rbtimer raised signal 20 (target worker) three times");
    await sleep(1200); // the touch file's mtime is looked at every second: nothing changed yet
    assert.equal(s.lines("s21").length, 0, "an untouched file raises nothing");
    assert.equal(s.lines("s18").length, 0, "an unchanged directory raises nothing");

    for (let i = 0; i < 5; i++) writeFileSync(`${dir}/f${i}`, "x");
    await until(async () => s.lines("s18").length >= 2, 5000, "the directory change raised 18 in both mules");
    const future = new Date(Date.now() + 60_000);
    utimesSync(touched, future, future);
    await until(async () => s.lines("s21").length === 1, 5000, "touching the file raised 21 in one mule");
    await sleep(1500);
    assert.equal(s.lines("s21").length, 1, "one touch, one signal");
    assert.deepEqual(s.lines("s18").map((l) => l[2]).sort(), ["1", "2"], "one burst, one signal, in each mule");
    const d = await stats(s.sport);
    assert.deepEqual(d.file_triggers.map((t: any) => [t.kind, t.signal, t.fired]), [["touch-signal", 21, 1]]);
    assert.ok(d.timers.some((t: any) => t.signal === 20 && t.kind === "rbtimer"), JSON.stringify(d.timers));
  } finally { await s.mf.stop(); }
}, 30000);
