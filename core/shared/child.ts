// The child side of the shared services: maps the files the master created
// (named in the Init frame) so locks, caches, the sharedarea and the queue
// work directly on shared memory in every process.
import { LockError, oneLine, QueueError, SharedAreaError } from "../errors.ts";
import { log } from "../log.ts";
import { childSetup, ctx } from "../runtime/context.ts";
import { openCache, registerCache } from "../cache/index.ts";
import { type Locks, openLocks } from "../locks/index.ts";
import { openSharedArea, type SharedArea } from "../sharedarea/index.ts";
import { openQueue, type SharedQueue } from "../queue/index.ts";
import type { SharedInit } from "./master.ts";

let locks: Locks | null = null;
let area: SharedArea | null = null;
let queue: SharedQueue | null = null;

childSetup.push(() => {
  const info = ctx.init.shared as SharedInit | undefined;
  if (!info) return;
  try {
    locks = openLocks(info.locks.path, info.locks.max, { onRecovered: (n, pid) => log(`lock ${n} recovered from dead pid ${pid}`) });
    for (const c of info.caches) registerCache(openCache(c.path, c.cfg, { onRecovered: (name, pid) => log(`cache "${name}" recovered from dead pid ${pid}`) }));
    if (info.sharedarea) area = openSharedArea(info.sharedarea.path, info.sharedarea.pages);
    if (info.queue) queue = openQueue(info.queue.path, info.queue.slots, { blocksize: info.queue.blocksize });
  } catch (e) {
    log(`shared memory unavailable: ${oneLine(e)}`);
  }
});

export function theLocks(): Locks {
  if (!locks) throw new LockError("locks need a running mulefarm instance");
  return locks;
}

export function theSharedArea(): SharedArea {
  if (!area) throw new SharedAreaError("no sharedarea is configured (start mulefarm with --sharedarea PAGES)");
  return area;
}

export function theQueue(): SharedQueue {
  if (!queue) throw new QueueError("no queue is configured (start mulefarm with --queue N)");
  return queue;
}
