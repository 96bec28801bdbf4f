// File monitors (addFileMonitor, filemon, --fs-signal): inotify on a file or
// a directory (not recursively); a burst of changes within 100 ms raises the
// signal once.
import { existsSync } from "node:fs";
import { UsageError } from "../errors.ts";
import { watchBursts } from "./file-triggers.ts";
import { checkSignalNumber } from "./targets.ts";

interface FileMon { num: number; path: string; watcher: { close(): void }; fired: number }

export class FileMonitors {
  private mons = new Map<string, FileMon>();

  constructor(private raise: (num: number, why: string) => void) {}

  add(num: number, path: string): true {
    checkSignalNumber(num);
    const key = `${num} ${path}`;
    if (this.mons.has(key)) return true;
    if (!existsSync(path)) throw new UsageError(`file monitor path does not exist: ${path}`);
    const mon: FileMon = { num, path, fired: 0, watcher: watchBursts([path], () => { mon.fired++; this.raise(num, `file monitor ${path}`); }) };
    this.mons.set(key, mon);
    return true;
  }

  stats() {
    return [...this.mons.values()].map((m) => ({ signal: m.num, path: m.path, fired: m.fired }));
  }

  stop(): void {
    for (const m of this.mons.values()) m.watcher.close();
  }
}
