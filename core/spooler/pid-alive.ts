/**
 * Liveness check for `recover()`: is a claimer pid still running on this
 * host? Signal 0 tests without sending anything; EPERM means it exists but
 * belongs to someone else. A zombie counts as alive until its parent reaps
 * it (the master reaps spoolers before recovering their tasks).
 *
 * @example
 * await store.recover(pidIsAlive);
 */
export function pidIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
