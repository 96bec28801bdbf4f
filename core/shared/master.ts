// The master side of the shared services (locks, caches, sharedarea, queue):
// it creates the shared-memory files fresh at start, tells every child where
// they are, frees locks held by a child that died, and reports their stats.
// The hot paths (lock, cache get/set) never touch the master: children work
// on the mapped memory directly.
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config.ts";
import type { MasterApi, MasterEngine, Proc, Slot } from "../engine.ts";
import { type Cache, type CacheConfig, openCache, parseCache2 } from "../cache/index.ts";
import { type Locks, openLocks } from "../locks/index.ts";
import { openSharedArea, type SharedArea } from "../sharedarea/index.ts";
import { openQueue, type SharedQueue } from "../queue/index.ts";
import { shmDir } from "../shm/index.ts";
import { UsageError } from "../errors.ts";

export interface SharedInit {
  locks: { path: string; max: number };
  caches: Array<{ path: string; cfg: CacheConfig }>;
  sharedarea?: { path: string; pages: number };
  queue?: { path: string; slots: number; blocksize?: number };
}

export class SharedEngine implements MasterEngine {
  name = "shared";
  private info!: SharedInit;
  private locks!: Locks;
  private caches: Cache[] = [];
  private area?: SharedArea;
  private queue?: SharedQueue;
  private files: string[] = [];
  private api!: MasterApi;
  private cfgs: CacheConfig[];

  constructor(private config: Config) {
    // Parse now: a bad --cache2 is a usage error before anything starts.
    this.cfgs = config.cache2.map((s) => parseCache2(s));
    // Two caches of one name: every get and set would reach only the first.
    this.cfgs.forEach((c, i) => {
      if (this.cfgs.findIndex((d) => d.name === c.name) < i) throw new UsageError(`--cache2 name "${c.name}" is given twice: give each cache its own name`);
    });
  }

  start(api: MasterApi) {
    this.api = api;
    const base = join(shmDir(), `mulefarm-${process.pid}`);
    const file = (s: string) => { const f = `${base}-${s}`; this.files.push(f); return f; };
    this.info = { locks: { path: file("locks"), max: this.config.locks }, caches: [] };
    this.locks = openLocks(this.info.locks.path, this.config.locks, { fresh: true });
    this.cfgs.forEach((cfg, i) => {
      const path = file(`cache${i}`);
      this.caches.push(openCache(path, cfg, { fresh: true }));
      this.info.caches.push({ path, cfg });
    });
    if (this.config.sharedarea) {
      this.info.sharedarea = { path: file("sharedarea"), pages: this.config.sharedarea };
      this.area = openSharedArea(this.info.sharedarea.path, this.config.sharedarea, { fresh: true });
    }
    if (this.config.queue) {
      this.info.queue = { path: file("queue"), slots: this.config.queue, blocksize: this.config.queueBlocksize };
      this.queue = openQueue(this.info.queue.path, this.config.queue, { fresh: true, blocksize: this.config.queueBlocksize });
    }
  }

  init(): Record<string, unknown> {
    return { shared: this.info };
  }

  detach(slot: Slot, proc: Proc) {
    // uWSGI uses robust mutexes; here the master frees what a dead child held.
    for (const n of this.locks.releaseAllOf(proc.pid)) {
      this.api.log(`lock ${n} released: its holder ${slot.role} ${slot.id} (pid ${proc.pid}) died`);
    }
    for (const c of this.caches) {
      if (c.releaseIfHeldBy(proc.pid)) this.api.log(`cache "${c.stats().name}" lock released: its holder ${slot.role} ${slot.id} (pid ${proc.pid}) died mid-write`);
    }
  }

  stats(doc: Record<string, any>) {
    doc.locks = this.locks.holders().map((pid, n) => ({ [`user ${n}`]: pid }));
    doc.caches = this.caches.map((c) => c.stats());
    if (this.area) doc.sharedarea = { pages: this.config.sharedarea, bytes: (this.config.sharedarea ?? 0) * 4096 };
    if (this.queue) doc.queue = this.queue.stats();
  }

  stop() {
    for (const f of this.files) rmSync(f, { force: true });
  }
}
