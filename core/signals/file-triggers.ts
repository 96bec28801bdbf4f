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
import { existsSync, statSync, watch } from "node:fs";
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
  const polled: Array<{ t: Trigger; mtime: number | null }> = [];

  const fire = (t: Trigger) => {
    t.fired++;
    if (t.num === undefined) on.reload(`${t.kind} ${t.path}`, t.roles ?? null);
    else on.raise(t.num, `${t.kind} ${t.path}`);
  };
  for (const { option, path, roles } of opts.touchReload) polled.push({ t: { kind: option, path, roles, fired: 0 }, mtime: mtimeOf(path) });
  for (const { path, num } of opts.touchSignal) polled.push({ t: { kind: "touch-signal", path, num, fired: 0 }, mtime: mtimeOf(path) });
  const fsReloads = opts.fsReload.map((path): Trigger => {
    if (!existsSync(path)) throw new UsageError(`--fs-reload path does not exist: ${path}`);
    return { kind: "fs-reload", path, fired: 0 };
  });
  // One reload per burst, whichever of the paths changed.
  const watcher = fsReloads.length ? watchBursts(opts.fsReload, (first) => fire(fsReloads.find((t) => t.path === first)!)) : null;
  const triggers = [...fsReloads, ...polled.map((p) => p.t)];
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
      watcher?.close();
    },
    stats: () => triggers.map((t) => ({ kind: t.kind, path: t.path, signal: t.num ?? null, fired: t.fired })),
  };
}

/**
 * Watches `paths` (inotify) and calls `fn` once per burst of changes, with
 * the path that started it: the first change arms a BURST_MS timer, later
 * ones (on any of the paths) within it join that call. File monitors and
 * --fs-reload both use it.
 */
export function watchBursts(paths: string[], fn: (first: string) => void): { close(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ws = paths.map((path) => watch(path, () => {
    if (timer) return;
    timer = setTimeout(() => { timer = undefined; fn(path); }, BURST_MS);
  }));
  return { close() { clearTimeout(timer); for (const w of ws) w.close(); } };
}

function mtimeOf(path: string): number | null {
  try { return statSync(path).mtimeMs; } catch { return null; }
}
