// A Bun child has threads of its own beside the event loop: the JIT
// compiler's (JITWorker, JSCWarmUp) and the allocator's (mi-scavenger). A
// compile burst of a few ms lands on a CPU that the event loop of this or
// another child needs next, and a signal or a message then waits behind it
// (on 2 vCPUs, the signal round trip's p99 went from ~181 to ~145 µs with
// these threads lowered). At a higher
// nice value they still get the idle CPU time (there is plenty) but yield at
// once to any event loop. GC helper threads keep their priority: the event
// loop waits for them during a collection.
//
// Deno's V8 shares its worker threads between the compiler and the
// concurrent GC, so they are left alone there.
import { readdirSync, readFileSync } from "node:fs";
import { backgroundThreadNames } from "../adapter/threads.ts";
import { unrefTimer } from "../base/timers.ts";

const BACKGROUND = backgroundThreadNames;
// Compiler threads start lazily (the first DFG compile, later the first FTL
// one): look soon, but after the start-up rush of every child at once, then
// now and then. A look costs a readdir of a few entries.
const FIRST_LOOKS_MS = [250, 1000, 3000];
const LATER_LOOK_MS = 10_000;

/** Keeps this process's background runtime threads at `nice` (Linux; core/adapter/threads.ts names them); 0 leaves them alone. */
export function lowerBackgroundThreads(nice: number): void {
  if (!nice || process.platform !== "linux" || !BACKGROUND.size) return;
  const os = (process as any).getBuiltinModule("node:os") as typeof import("node:os");
  const seen = new Set<string>();
  let own = "";
  try { own = readFileSync("/proc/self/comm", "utf8").trim(); } catch { return; }
  const look = () => {
    let tids: string[];
    try { tids = readdirSync("/proc/self/task"); } catch { return; }
    for (const tid of tids) {
      if (seen.has(tid)) continue;
      try {
        const name = readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim();
        // A thread is named by itself once running: until then it shows the process's name.
        if (name === own) continue;
        seen.add(tid);
        if (BACKGROUND.has(name)) os.setPriority(Number(tid), nice);
      } catch { /* the thread ended, or the system refused: it keeps its priority */ }
    }
  };
  let i = 0;
  const next = () => {
    const t = setTimeout(() => { look(); next(); }, FIRST_LOOKS_MS[i++] ?? LATER_LOOK_MS);
    unrefTimer(t);
  };
  next();
}
