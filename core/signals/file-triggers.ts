/**
 * uWSGI's file triggers that are options rather than API calls:
 * `--touch-reload FILE` and `--touch-signal "FILE SIG"` look at the file's
 * mtime every second (a file missing at start fires once it is created), as
 * uWSGI's master does each cycle; `--fs-reload PATH` watches PATH (inotify)
 * and reloads once per burst of changes within 100 ms. (`--fs-signal` is a
 * file monitor: SignalEngine.addFileMonitor.)
 *
 * @example
 * const t = startFileTriggers({ touchReload: ["app.ts"], touchSignal: [], fsReload: [] },
 *   { raise: (num, why) => route(num, why), reload: (why) => master.reload(why) });
 * t.stop();
 */
import { existsSync, statSync, watch, type FSWatcher } from "node:fs";
import { UsageError } from "../errors.ts";

export interface FileTriggerOptions {
  touchReload: string[];
  touchSignal: Array<{ path: string; num: number }>;
  fsReload: string[];
}

interface Trigger { kind: "touch-reload" | "touch-signal" | "fs-reload"; path: string; num?: number; fired: number }

const POLL_MS = 1000;
const BURST_MS = 100;

export function startFileTriggers(opts: FileTriggerOptions, on: { raise(num: number, why: string): void; reload(why: string): void }) {
  const triggers: Trigger[] = [];
  const polled: Array<{ t: Trigger; mtime: number | null }> = [];
  const watchers: FSWatcher[] = [];
  let burst: ReturnType<typeof setTimeout> | undefined;

  const fire = (t: Trigger) => {
    t.fired++;
    if (t.num === undefined) on.reload(`${t.kind} ${t.path}`);
    else on.raise(t.num, `${t.kind} ${t.path}`);
  };
  for (const path of opts.touchReload) polled.push({ t: { kind: "touch-reload", path, fired: 0 }, mtime: mtimeOf(path) });
  for (const { path, num } of opts.touchSignal) polled.push({ t: { kind: "touch-signal", path, num, fired: 0 }, mtime: mtimeOf(path) });
  for (const path of opts.fsReload) {
    if (!existsSync(path)) throw new UsageError(`--fs-reload path does not exist: ${path}`);
    const t: Trigger = { kind: "fs-reload", path, fired: 0 };
    triggers.push(t);
    watchers.push(watch(path, () => {
      if (burst) return;
      burst = setTimeout(() => { burst = undefined; fire(t); }, BURST_MS);
    }));
  }
  triggers.push(...polled.map((p) => p.t));
  const poll = polled.length ? setInterval(() => {
    for (const p of polled) {
      const m = mtimeOf(p.t.path);
      if (m === p.mtime) continue;
      p.mtime = m;
      if (m !== null) fire(p.t); // a removed file is not a touch
    }
  }, POLL_MS) : undefined;

  return {
    stop() {
      clearInterval(poll);
      clearTimeout(burst);
      for (const w of watchers) w.close();
    },
    stats: () => triggers.map((t) => ({ kind: t.kind, path: t.path, signal: t.num ?? null, fired: t.fired })),
  };
}

function mtimeOf(path: string): number | null {
  try { return statSync(path).mtimeMs; } catch { return null; }
}
