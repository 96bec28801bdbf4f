// The master's side of the direct rings: it lays out one inbox per programmed
// mule in shared memory (core/mules/inbox.ts), frees what a dead process held
// (charging the records a dead reader had handed out, for the poison bound),
// and, with --pidfile, takes over the rings a killed predecessor left, so the
// messages accepted into them are still delivered.
import { existsSync, readFileSync, rmSync, statfsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pidIsAlive } from "../base/process.ts";
import { type Config, isLightMule } from "../config.ts";
import { shmDir } from "../shm/index.ts";
import { Inbox, type InboxInfo } from "./inbox.ts";
import type { DirectInit } from "./lane.ts";
import { ringCapacityFor } from "./ring.ts";
import { ENVELOPE_LEN } from "../trace/envelope.ts";
import { tracingWanted } from "../trace/wanted.ts";

type Log = (line: string) => void;
/** Sets aside a record held by more than --mule-max-redeliveries dead readers of mule `muleId` (the last one `pid`). */
type Park = (muleId: number, pid: number, type: number, payload: Uint8Array, from: number, tries: number) => void;

export class MasterRings {
  private byId = new Map<number, Inbox>();
  /** What the Init frame tells every child: each inbox's file and layout. */
  readonly direct: DirectInit = { inboxes: {} };
  /** Files kept across a master's SIGKILL (see keptFiles), or null. */
  private keep: ((name: string) => string) | null;

  constructor(private config: Config, private park: Park, private log: Log) {
    this.keep = keptFiles(config);
  }

  get(muleId: number): Inbox | undefined {
    return this.byId.get(muleId);
  }

  /** Lays out (or takes over) the inbox of every programmed process mule. */
  layout(log: Log): void {
    const cfg = this.config;
    const receivers = cfg.mules.filter((m) => m.spec !== null && !isLightMule(m));
    if (!receivers.length) return;
    // One ring per sending process, twice over: during a reload a process and its successor overlap.
    const senders = (cfg.http ? cfg.processes : 0) + cfg.mules.length + cfg.spoolers.length * cfg.spoolerProcesses + 1;
    const rings = Math.min(256, 2 * senders + 2);
    // Bounds as the master's queues: --mule-queue messages per sender, whatever their size.
    // Traced messages carry a trace envelope each: room for it too, so a ring holds as many.
    const traced = tracingWanted() ? ENVELOPE_LEN : 0;
    let cap = ringCapacityFor(cfg.muleMsgSize, cfg.muleQueue, undefined, traced);
    // Rings are sparse, but a busy one touches every page, and writing past a
    // full tmpfs is a SIGBUS (a container's /dev/shm is often 64 MB): keep all
    // of them within half of the free space, with smaller rings if need be.
    const min = ringCapacityFor(cfg.muleMsgSize, 0, 1 << 16, traced);
    const budget = shmFreeBytes() / 2;
    while (cap > min && rings * cap * receivers.length > budget) cap /= 2;
    if (rings * cap * receivers.length > budget) {
      log(`mule messages go through the master: ${shmDir()} has too little free space for direct rings (${receivers.length} × ${rings} × ${cap} bytes)`);
      return;
    }
    for (const m of receivers) {
      const path = this.keep?.(`mule${m.id}`) ?? join(shmDir(), `mulefarm-${process.pid}-mule${m.id}`);
      if (this.keep && existsSync(path) && this.takeOver(m.id, path, log)) continue;
      const info: InboxInfo = { path, rings, cap, maxCount: cfg.muleQueue };
      try {
        this.byId.set(m.id, Inbox.create(info));
        this.direct.inboxes[m.id] = info;
      } catch (e) {
        log(`mule ${m.id}: no direct rings (${(e as Error).message}): its messages go through the master`);
      }
    }
  }

  /** The inbox a killed master of this instance left: its messages are delivered first. False: none (removed). */
  private takeOver(muleId: number, path: string, log: Log): boolean {
    try {
      const got = Inbox.adopt(path, this.config.muleQueue);
      if (got) {
        this.byId.set(muleId, got.inbox);
        this.direct.inboxes[muleId] = got.info;
        this.chargeDeadReader(muleId, got.inbox, got.inbox.consumer);
        const n = got.inbox.queued();
        if (n) log(`mule ${muleId}: ${n} accepted message(s) in its rings survived the master's restart (--pidfile): they are delivered first`);
        return true;
      }
    } catch (e) {
      log(`mule ${muleId}: the rings its last master left cannot be read (${(e as Error).message}): the messages in them are lost`);
    }
    rmSync(path, { force: true });
    return false;
  }

  /** Process `pid` is gone: frees its rings and, if it was a mule's reader, its reading side (after charging what it held). */
  release(pid: number): void {
    for (const [id, ib] of this.byId) {
      if (ib.consumer !== pid) continue;
      // Before the reading side is free: no successor reads while the records are charged.
      const n = this.chargeDeadReader(id, ib, pid);
      ib.releaseAllOf(pid);
      if (n) this.log(`mule ${id} (pid ${pid}) died with ${n} direct message(s) in flight: they stay first in its rings for redelivery`);
    }
    for (const ib of this.byId.values()) ib.releaseAllOf(pid);
  }

  /** Charges each record the dead reader `pid` of mule `id` had handed out (poison accounting); returns how many it had. */
  private chargeDeadReader(id: number, ib: Inbox, pid: number): number {
    let n = 0;
    for (const r of ib.rings) {
      n += r.handedOut();
      r.chargeHandedOut(this.config.muleMaxRedeliveries, (type, payload, tries) => this.park(id, pid, type, payload, r.owner, tries));
    }
    return n;
  }

  stop(): void {
    for (const info of Object.values(this.direct.inboxes)) rmSync(info.path, { force: true });
  }
}

/**
 * With --pidfile (which names the instance), the direct rings and the master
 * path's journal (journal.ts) are files named
 * after the pidfile rather than after this master's pid, so a master started
 * again after a SIGKILL finds and takes over the rings its predecessor left
 * (the messages accepted into them are then still delivered), and the
 * start-up sweep of other masters, which removes the files of dead masters'
 * pids, leaves them alone. A graceful stop removes them. Null (files named
 * after this pid) without --pidfile, or while the pid in the pidfile runs: it
 * is another master of the same instance, and owns those files.
 */
export function keptFiles(config: Config): ((name: string) => string) | null {
  if (!config.pidfile) return null;
  const file = resolve(config.pidfile);
  try {
    const old = Number(readFileSync(file, "utf8").trim());
    if (Number.isInteger(old) && old > 0 && old !== process.pid && pidIsAlive(old, true)) return null;
  } catch { /* no pidfile yet */ }
  let h = 0x811c9dc5; // FNV-1a of the pidfile's path
  for (let i = 0; i < file.length; i++) h = Math.imul(h ^ file.charCodeAt(i), 0x01000193) >>> 0;
  const tag = h.toString(16).padStart(8, "0");
  return (name) => join(shmDir(), `mulefarm-keep-${tag}-${name}`);
}

/** Free bytes where the shared-memory files go (Infinity when unknown). */
export function shmFreeBytes(): number {
  try {
    const st = statfsSync(shmDir());
    return Number(st.bavail) * Number(st.bsize);
  } catch {
    return Infinity;
  }
}
