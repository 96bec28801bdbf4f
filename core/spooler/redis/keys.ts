// The key layout of one spool on Redis. Every key of spool NAME carries the
// hash tag {mf:NAME}, so all of them live in one slot and each Lua script
// may touch them all, on a single Redis and on Redis Cluster alike. Every
// script is passed the whole fixed list below as KEYS (no key is built
// inside Lua), which is what Cluster requires.
//
//   {mf:NAME}:ready    ZSET, all scores 0, ordered by member (see member()):
//                      due tasks by priority, then due time, then enqueue order
//   {mf:NAME}:delayed  ZSET, score = due time (unix ms), same members: not yet due
//   {mf:NAME}:running  ZSET, score = lease deadline (Redis server ms), member = id
//   {mf:NAME}:failed   ZSET, score = failedAt, member = id
//   {mf:NAME}:rec      HASH id -> the task record bytes (task.ts encoding, as in a file)
//   {mf:NAME}:meta     HASH id -> JSON of what changes: attempts, lastError, due,
//                      state, claim token and owner (the record itself is never rewritten)
//   {mf:NAME}:keys     HASH dedup key -> id (held while that id is pending or running)
//   {mf:NAME}:tok      HASH claim token -> id (a claim re-sent after a reconnect gets the same task)
//   {mf:NAME}:wake     LIST of markers, one per accepted task: idle spoolers of every
//                      instance block on it (BLPOP), so a task wakes a spooler anywhere
//   {mf:NAME}:quar     HASH id -> why it was quarantined (its bytes stay in rec)
//   {mf:NAME}:seq      counter: enqueue order
//   {mf:NAME}:pf       SET of running ids claimed ahead and not started yet (a
//                      claimer's death puts them back without counting an attempt)
export const KEY_NAMES = ["ready", "delayed", "running", "failed", "rec", "meta", "keys", "tok", "wake", "quar", "seq", "pf"] as const;

export type SpoolKeys = Record<(typeof KEY_NAMES)[number], string> & { list: string[]; tag: string };

/** All keys of spool `name`, in the order the scripts expect them as KEYS. */
export function spoolKeys(name: string): SpoolKeys {
  const tag = `{mf:${name}}`;
  const out: any = { tag, list: [] };
  for (const k of KEY_NAMES) {
    out[k] = `${tag}:${k}`;
    out.list.push(out[k]);
  }
  return out as SpoolKeys;
}
