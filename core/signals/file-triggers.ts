/**
 * uWSGI's file triggers that are options rather than API calls:
 * `--touch-reload FILE` (and its -workers-/-mules-/-spoolers- forms) and
 * `--touch-signal "FILE SIG"` look at the file's
 * mtime every second (a file missing at start fires once it is created), as
 * uWSGI's master does each cycle; `--fs-reload PATH` watches PATH (inotify)
 * and reloads once per burst of changes within 100 ms. (`--fs-signal` is a
 * file monitor: SignalEngine.addFileMonitor.)
 *
 * @example
 * const t = startFileTriggers({ touchReload: [{ option: "touch-reload", path: "app.ts", roles: null }], touchSignal: [], fsReload: [] },
 *   { raise: (num, why) => route(num, why), reload: (why, roles) => master.reload(roles) });
 * t.stop();
 */
import { existsSync, statSync, watch, type FSWatcher } from "node:fs";
import { UsageError } from "../errors.ts";
import type { Role } from "../ipc/types.ts";

export interface FileTriggerOptions {
  /** `option` names the trigger in logs and stats; `roles`: what it reloads (null: everything). */
  touchReload: Array<{ option: string; path: string; roles: Role[] | null }>;
  touchSignal: Array<{ path: string; num: number }>;
  fsReload: string[];
}

interface Trigger { kind: string; path: string; num?: number; roles?: Role[] | null; fired: number }

const POLL_MS = 1000;
const BURST_MS = 100;

export function startFileTriggers(opts: FileTriggerOptions, on: { raise(num: number, why: string): void; reload(why: string, roles: Role[] | null): void }) {
  const triggers: Trigger[] = [];
  const polled: Array<{ t: Trigger; mtime: number | null }> = [];
  const watchers: FSWatcher[] = [];
  let burst: ReturnType<typeof setTimeout> | undefined;

  const fire = (t: Trigger) => {
    t.fired++;
    if (t.num === undefined) on.reload(`${t.kind} ${t.path}`, t.roles ?? null);
    else on.raise(t.num, `${t.kind} ${t.path}`);
  };
  for (const { option, path, roles } of opts.touchReload) polled.push({ t: { kind: option, path, roles, fired: 0 }, mtime: mtimeOf(path) });
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
