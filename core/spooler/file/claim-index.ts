/**
 * A claimer's picture of the pending names, in run order, so that a claim
 * costs one rename and one read instead of a directory listing. It is
 * filled by a full scan (rare: at start, when stale, after a wake that
 * names nothing) and by the names that wakes and this process's own retries
 * carry (`insert`). It may hold names that are gone (another claimer took
 * them: the rename fails and the claim moves on); a name it lacks is found
 * at the next scan.
 *
 * @example
 * const ix = new ClaimIndex(dir, quarantine);
 * ix.scan();
 * ix.insert("3/1733000000000_1733000000000-0004242-00000001-9f3ac2d1.task");
 * for (const c of ix.candidates(Date.now())) { … }
 */
import { join } from "node:path";
import { type Level, scanPending } from "./scan.ts";
import { parseGroupName, parsePendingName } from "./names.ts";

export class ClaimIndex {
  private levels: Level[] = [];
  private scannedAt = -Infinity;
  private scanMs = 0;

  constructor(private dir: string, private quarantine: (path: string, reason: string) => void) {}

  /** Re-reads every pending name (quarantining what is not ours). */
  scan(): void {
    const t0 = performance.now();
    this.levels = scanPending(this.dir, this.quarantine);
    this.scannedAt = Date.now();
    this.scanMs = performance.now() - t0;
  }

  /** Has it ever scanned (is this handle a claimer)? */
  scanned(): boolean {
    return this.scannedAt !== -Infinity;
  }

  /** Ms since the last scan (Infinity before the first). */
  age(): number {
    return Date.now() - this.scannedAt;
  }

  /**
   * May a scan run now? Not more often than every `minMs`, nor more than
   * ~5% of the time (a scan is O(backlog): 100,000 names take ~100 ms).
   */
  mayScan(minMs: number): boolean {
    return this.age() >= Math.max(minMs, 20 * this.scanMs);
  }

  /** Adds a pending name (a task file or a group directory) given relative to the spool dir ("NAME" or "PRIORITY/NAME"). */
  insert(rel: string): void {
    const slash = rel.indexOf("/");
    const name = slash < 0 ? rel : rel.slice(slash + 1);
    if (!parsePendingName(name) && !parseGroupName(name)) return;
    const priority = slash < 0 ? null : Number(rel.slice(0, slash));
    if (priority !== null && !(Number.isSafeInteger(priority) && priority >= 0)) return;
    let lv = this.levels.find((l) => l.priority === priority);
    if (!lv) {
      lv = { priority, dir: priority === null ? this.dir : join(this.dir, String(priority)), names: [], pos: 0 };
      this.levels.push(lv);
      this.levels.sort((a, b) => (a.priority ?? Infinity) - (b.priority ?? Infinity));
    }
    // Drop the consumed prefix now and then, so the array does not grow without end.
    if (lv.pos > 1024 && lv.pos * 2 > lv.names.length) { lv.names = lv.names.slice(lv.pos); lv.pos = 0; }
    // Binary search in the unconsumed part: a name that sorts before `pos` still runs next.
    let lo = lv.pos, hi = lv.names.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (lv.names[mid] < name) lo = mid + 1; else hi = mid; }
    if (lv.names[lo] !== name) lv.names.splice(lo, 0, name);
  }

  /** Pending names due by `now`, in run order, each yielded once (consumed as it is yielded). */
  *candidates(now: number): Generator<{ dir: string; name: string; priority: number | null }> {
    for (const lv of this.levels) {
      while (lv.pos < lv.names.length) {
        const name = lv.names[lv.pos];
        // Names sort by due time: once one is in the future, so is the rest of this level.
        if (Number(name.slice(0, 13)) > now) break;
        lv.pos++;
        yield { dir: lv.dir, name, priority: lv.priority };
      }
    }
  }

  /** Earliest due time among the names it holds (unix ms), or null. */
  nextDue(): number | null {
    let min: number | null = null;
    for (const lv of this.levels) {
      if (lv.pos >= lv.names.length) continue;
      const due = Number(lv.names[lv.pos].slice(0, 13));
      if (min === null || due < min) min = due;
    }
    return min;
  }
}
