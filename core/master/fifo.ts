// uWSGI's master FIFO (--master-fifo PATH): one-letter commands written to a
// named pipe, `echo r > /run/app.fifo`, for scripts that have a path but no
// signal or socket at hand. The pipe is opened read-write and non-blocking,
// so it never sees end-of-file when a writer closes, and it is read ten times
// a second (the same code on Bun and Deno, which have no FIFO stream).
import { closeSync, constants, lstatSync, openSync, readSync, rmSync } from "node:fs";
import { UsageError } from "../errors.ts";
import { childProcess } from "../base/lazy-builtins.ts";
import { unrefTimer } from "../base/timers.ts";

export interface FifoActions {
  /** Graceful reload of everything (r, R), or of the workers one at a time (w, W, c). */
  reload(workersOnly: boolean): void;
  /** Graceful stop (q, Q). */
  stop(): void;
  /** One line of stats in the log (s). */
  stats(): void;
  log(line: string): void;
}

const POLL_MS = 100;

/**
 * @example
 * const fifo = startMasterFifo("/run/app.fifo", { reload, stop, stats, log });
 * fifo.close(); // on stop: the pipe is removed
 */
export function startMasterFifo(path: string, act: FifoActions): { close(): void } {
  let st: ReturnType<typeof lstatSync> | undefined;
  try { st = lstatSync(path); } catch { /* absent: made below */ }
  if (st && !st.isFIFO()) throw new UsageError(`--master-fifo ${path}: the path exists and is not a FIFO`);
  if (!st) {
    const r = childProcess().spawnSync("mkfifo", ["-m", "0600", path], { encoding: "utf8" });
    if (r.status !== 0) throw new UsageError(`--master-fifo ${path}: cannot create it: ${(r.stderr || r.error?.message || "mkfifo failed").trim()}`);
  }
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  const buf = new Uint8Array(256);
  const timer = setInterval(() => {
    for (;;) {
      let n = 0;
      try { n = readSync(fd, buf, 0, buf.length, null); } catch { return; } // EAGAIN: nothing written
      if (n <= 0) return;
      for (const ch of new TextDecoder().decode(buf.subarray(0, n))) run(ch, act);
    }
  }, POLL_MS);
  unrefTimer(timer);
  return {
    close() {
      clearInterval(timer);
      try { closeSync(fd); } catch { /* closed */ }
      rmSync(path, { force: true });
    },
  };
}

function run(ch: string, act: FifoActions) {
  switch (ch) {
    case "r": case "R": act.log(`master FIFO: ${ch}: graceful reload`); act.reload(false); break;
    case "w": case "W": case "c": act.log(`master FIFO: ${ch}: graceful reload of the workers, one at a time`); act.reload(true); break;
    case "q": case "Q": act.log(`master FIFO: ${ch}: graceful stop`); act.stop(); break;
    case "s": act.stats(); break;
    case "\n": case "\r": case " ": break;
    default: act.log(`master FIFO: unknown command ${JSON.stringify(ch)} (r R w W c q Q s)`);
  }
}
