/**
 * Dedup keys across processes: one marker file per key, `DIR/keys/<sha1>`,
 * created with O_EXCL (atomic on a local filesystem), holding the owner's
 * task id. It exists while that task is pending or running, and is removed
 * when the task completes or fails.
 *
 * A marker can outlive its task (a crash between two steps). A marker whose
 * task is gone is taken over once it is older than STALE_MARKER_MS; a younger
 * one may belong to an enqueue still in flight, so the new task is refused.
 * Two processes taking over the same stale marker at the same instant can
 * both succeed in a very narrow window; a fresh (non-stale) marker is exact.
 *
 * @example
 * await markers.acquire("user-42", id);   // throws SpoolError if pending
 * markers.release("user-42", id);
 */
import { openSync, writeSync, closeSync, readFileSync, statSync, renameSync, unlinkSync, linkSync } from "node:fs";
import { randomHex, sha1Hex } from "../../base/random.ts";
import { join } from "node:path";
import { SpoolError } from "../../errors.ts";

/** A marker without a live task is ignored after this long. */
export const STALE_MARKER_MS = 60_000;

export class KeyMarkers {
  /**
   * @param dir the keys directory (exists)
   * @param exists whether a task id is still pending or running
   */
  constructor(readonly dir: string, private exists: (id: string) => Promise<boolean>) {}

  /** Path of the marker of `key`. */
  path(key: string): string {
    return join(this.dir, sha1Hex(key));
  }

  /** Creates the marker for `key` owned by `id`, or throws SpoolError naming the pending task. */
  async acquire(key: string, id: string): Promise<void> {
    const p = this.path(key);
    for (let round = 0; round < 3; round++) {
      try {
        const fd = openSync(p, "wx", 0o600);
        try { writeSync(fd, id); } finally { closeSync(fd); }
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const owner = readOwner(p);
      if (owner === undefined) continue; // vanished between open and read: try again
      if (owner && (await this.exists(owner))) throw refused(key, owner);
      if (!isOld(p)) throw refused(key, owner || "(being enqueued)");
      // Stale: move it aside under a unique name, so that of two takers only
      // one removes it; the other's rename fails and it simply tries again.
      const aside = `${p}.stale-${randomHex(4)}`;
      try { renameSync(p, aside); } catch { continue; }
      if (readOwner(aside) !== owner) {
        // Another taker replaced the stale marker between our read and our
        // rename: give its fresh marker back (link fails if yet another
        // appeared) and refuse, as that task is now the pending one.
        try { linkSync(aside, p); } catch { /* someone holds the key anyway */ }
        try { unlinkSync(aside); } catch { /* gone already */ }
        throw refused(key, readOwner(p) || "(being enqueued)");
      }
      try { unlinkSync(aside); } catch { /* gone already */ }
    }
    throw new SpoolError(`could not take the dedup marker of key "${key}": it keeps changing`);
  }

  /** Removes the marker of `key` if `id` still owns it. */
  release(key: string, id: string): void {
    const p = this.path(key);
    // Compare first: a stale-marker takeover may have given the key to a newer task.
    if (readOwner(p) !== id) return;
    try { unlinkSync(p); } catch { /* already gone */ }
  }
}

function readOwner(p: string): string | undefined {
  try { return readFileSync(p, "utf8").trim(); } catch { return undefined; }
}

function isOld(p: string): boolean {
  try { return Date.now() - statSync(p).mtimeMs > STALE_MARKER_MS; } catch { return false; }
}

function refused(key: string, id: string): SpoolError {
  return new SpoolError(`a task with key "${key}" is already pending: ${id}`);
}
