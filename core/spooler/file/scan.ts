/**
 * One directory scan of the pending queue: which tasks exist, in the order
 * they must run (uWSGI --spooler-ordered: numeric priority directories in
 * numeric order, then the plain files of the top level). Within a level,
 * names sort by due time then enqueue order (see names.ts), so the scan
 * never opens a file.
 *
 * Anything that is not ours (foreign names, non-regular files, non-numeric
 * directories) is handed to `quarantine` with a reason and left out.
 *
 * @example
 * const levels = scanPending(dir, (path, reason) => quarantineFile(qdir, path, reason));
 * levels[0].names[0]; // the next task to try
 */
import { readdirSync, type Dirent } from "node:fs";
import { join } from "node:path";
import { parseGroupName, parsePendingName } from "./names.ts";

/** Sub-directories of the spool dir that are not priority levels. */
export const RESERVED = new Set(["running", "failed", "quarantine", "keys", ".tmp", "progress", "state"]);

const PRIORITY_RE = /^\d{1,15}$/;

/** One priority level: its directory and its task names, sorted; `pos` is the next to try. */
export interface Level {
  priority: number | null;
  dir: string;
  names: string[];
  pos: number;
}

/** Scans `dir` and its priority directories; returns the levels in run order. */
export function scanPending(dir: string, quarantine: (path: string, reason: string) => void): Level[] {
  const levels: Level[] = [];
  const top: string[] = [];
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (RESERVED.has(d.name)) continue;
    const path = join(dir, d.name);
    if (d.isDirectory() && parseGroupName(d.name)) top.push(d.name);
    else if (d.isDirectory()) {
      if (PRIORITY_RE.test(d.name)) {
        levels.push({ priority: Number(d.name), dir: path, names: scanLevel(path, quarantine), pos: 0 });
      } else {
        quarantine(path, "unexpected directory (priority directories are non-negative integers)");
      }
    } else {
      const reason = foreign(d);
      if (reason) quarantine(path, reason);
      else top.push(d.name);
    }
  }
  levels.sort((a, b) => a.priority! - b.priority!);
  levels.push({ priority: null, dir, names: top.sort(), pos: 0 });
  return levels;
}

function scanLevel(dir: string, quarantine: (path: string, reason: string) => void): string[] {
  const names: string[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return names;
    throw e;
  }
  for (const d of entries) {
    const reason = d.isDirectory() ? (parseGroupName(d.name) ? null : "unexpected directory inside a priority directory") : foreign(d);
    if (reason) quarantine(join(dir, d.name), reason);
    else names.push(d.name);
  }
  return names.sort();
}

/** Why a top-level or level entry is not a pending task, or null if it is one. */
function foreign(d: Dirent): string | null {
  if (!d.isFile()) return "not a regular file";
  if (!parsePendingName(d.name)) return "unexpected file name (not a mulefarm task)";
  return null;
}
