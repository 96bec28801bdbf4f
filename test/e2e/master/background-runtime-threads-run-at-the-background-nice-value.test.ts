import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { descendants, RUNTIME, start, until } from "../lib.ts";

/** name and nice value of each thread of `pid`. */
function threads(pid: number): Array<{ name: string; nice: number }> {
  const out: Array<{ name: string; nice: number }> = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const st = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = st.slice(st.indexOf("(") + 1, st.lastIndexOf(")"));
      out.push({ name, nice: Number(st.slice(st.lastIndexOf(")") + 2).split(" ")[16]) });
    } catch { /* the thread ended */ }
  }
  return out;
}

const BACKGROUND = new Set(["JITWorker", "JSCWarmUp", "mi-scavenger"]);

test("the JIT and allocator threads of the master and of a mule run at --background-nice; event loops keep nice 0", async () => {
  const mf = start(["--mules", "1", "--background-nice", "15"]);
  try {
    await mf.waitFor(/spawned mule 1/);
    const pids = await until(() => { const d = [mf.pid, ...descendants(mf.pid)]; return d.length >= 2 ? d : null; }, 10000, "master and mule");
    if (RUNTIME === "deno") {
      // V8's worker threads serve the GC as well as the compiler: left alone.
      await new Promise((r) => setTimeout(r, 2500));
      for (const pid of pids) assert.ok(threads(pid).every((t) => t.nice === 0), JSON.stringify(threads(pid)));
      return;
    }
    await until(() => pids.every((pid) => {
      const bg = threads(pid).filter((t) => BACKGROUND.has(t.name));
      return bg.length > 0 && bg.every((t) => t.nice === 15);
    }), 5000, "background threads at nice 15");
    for (const pid of pids) {
      const main = threads(pid).find((t) => !BACKGROUND.has(t.name) && t.name !== "HeapHelper")!;
      assert.equal(main.nice, 0, `${pid}: ${JSON.stringify(threads(pid))}`);
      for (const t of threads(pid)) if (t.name === "HeapHelper") assert.equal(t.nice, 0, "GC helpers keep their priority");
    }
  } finally { await mf.stop(); }
}, 30000);
