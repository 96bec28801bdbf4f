/**
 * Groups (tenants): a task spooled with `group: G` goes into G's lane, a
 * store of its own beside the spool (a directory under DIR/state/lanes/G,
 * or the Redis spool NAME::g:G), opened by the same factory. Its spooler
 * processes claim in turns over the main queue and every lane (round
 * robin, so one busy group cannot starve the others); inside a lane the
 * store's order holds (priority, due time, enqueue order); with
 * --spooler-group-concurrency N a group runs at most N tasks at once across
 * every process and instance (slots in the control, held with a lease).
 *
 * The lanes known to a spool are listed in its control (`addGroup`); a
 * producer adds its group once per process before its first task there.
 * A producer's wake goes to the main spool's spoolers with a note naming
 * the lane (LANE_NOTE), so they wake at once; other instances see a lane's
 * new task within LANE_LOOK_MS.
 */
import { randomHex } from "../../base/random.ts";
import { SpoolError, refused } from "../../errors.ts";
import { isPathAddress, openStore } from "../open.ts";
import type { ClaimedTask, OpenOptions, SpoolStore } from "../store.ts";
import type { TaskControl } from "./control.ts";
import { join, resolve } from "node:path";

/** Idle spoolers look at the lanes at least this often (wakes of other instances do not cross to lanes), ms. */
export const LANE_LOOK_MS = 250;
/** A group slot's lease: renewed while its task runs; a dead instance's slots free after it, ms. */
export const SLOT_LEASE_MS = 30_000;
/** How long the list of groups is cached by a claimer, ms. */
const GROUPS_CACHE_MS = 1000;

const LANE_NOTE = "\u0001lane\u0001";

export function checkGroup(group: unknown): string {
  if (typeof group !== "string" || !/^[A-Za-z0-9_.:-]{1,64}$/.test(group) || group === "." || group === "..") {
    throw new SpoolError(refused("spool option \"group\" must be 1..64 letters, digits, _ . : -", group));
  }
  return group;
}

/** The address of group `group`'s lane of the spool at `address`. */
export function laneAddress(address: string, group: string): string {
  if (isPathAddress(address)) return join(resolve(address.replace(/^file:\/\//i, "")), "state", "lanes", group);
  return `${address}::g:${group}`;
}

/** The wake note a producer sends (for the main address) after accepting into a lane. */
export function laneNote(group: string, note: string): string {
  return `${LANE_NOTE}${group}\u0001${note}`;
}
/** [group, inner note] of a lane wake note, or null. */
export function parseLaneNote(note: string): [string, string] | null {
  if (!note.startsWith(LANE_NOTE)) return null;
  const rest = note.slice(LANE_NOTE.length);
  const i = rest.indexOf("\u0001");
  return i < 0 ? [rest, ""] : [rest.slice(0, i), rest.slice(i + 1)];
}

export interface Claimed { store: SpoolStore; c: ClaimedTask; group?: string; holder?: string }

/** The claiming side: round robin over the main store and the lanes, group slots taken before a lane claim. */
export class LaneClaimer {
  private lanes = new Map<string, Promise<SpoolStore>>();
  private groups: string[] = [];
  private groupsAt = 0;
  private cursor = 0;

  constructor(private address: string, private main: SpoolStore, private control: TaskControl, private opts: { concurrency: number; open: OpenOptions }) {}

  /** Whether any lane is known (idle waits are then bounded by LANE_LOOK_MS). */
  get hasLanes(): boolean { return this.groups.length > 0; }

  lane(group: string): Promise<SpoolStore> {
    let s = this.lanes.get(group);
    if (!s) {
      s = openStore(laneAddress(this.address, group), this.opts.open);
      this.lanes.set(group, s);
      s.catch(() => this.lanes.delete(group));
      if (!this.groups.includes(group)) this.groups.push(group);
    }
    return s;
  }

  /** A wake naming a lane: tell that lane's store. */
  notifyLane(group: string, note: string): void {
    void this.lane(group).then((s) => s.notify(note)).catch(() => {});
  }

  private async refreshGroups(): Promise<void> {
    if (Date.now() - this.groupsAt < GROUPS_CACHE_MS) return;
    this.groupsAt = Date.now();
    for (const g of await this.control.listGroups()) if (!this.groups.includes(g)) this.groups.push(g);
  }

  /** Puts back tasks of dead claimers in every known lane (at start, as for the main store). */
  async recover(isAlive: (pid: number) => boolean): Promise<void> {
    await this.refreshGroups();
    for (const g of this.groups) await (await this.lane(g)).recover(isAlive).catch(() => {});
  }

  /** The next task, taking turns: the main queue, then each group in order, from where the last claim left off. */
  async claim(): Promise<Claimed | null> {
    await this.refreshGroups().catch(() => {});
    const turns = 1 + this.groups.length;
    for (let k = 0; k < turns; k++) {
      const i = (this.cursor + k) % turns;
      if (i === 0) {
        const c = await this.main.claim();
        if (c) { this.cursor = 1; return { store: this.main, c }; }
        continue;
      }
      const group = this.groups[i - 1];
      const holder = `${process.pid}:${randomHex(6)}`;
      if (this.opts.concurrency > 0 && !(await this.control.takeGroupSlot(group, this.opts.concurrency, holder, SLOT_LEASE_MS))) continue;
      let c: ClaimedTask | null = null;
      try { c = await (await this.lane(group)).claim(); } catch { c = null; }
      if (c) { this.cursor = (i + 1) % turns; return { store: await this.lane(group), c, group, holder: this.opts.concurrency > 0 ? holder : undefined }; }
      if (this.opts.concurrency > 0) await this.control.releaseGroupSlot(group, holder).catch(() => {});
    }
    return null;
  }

  async release(got: Claimed): Promise<void> {
    if (got.group && got.holder) await this.control.releaseGroupSlot(got.group, got.holder).catch(() => {});
  }

  async renew(got: Claimed): Promise<void> {
    if (got.group && got.holder) await this.control.renewGroupSlot(got.group, got.holder, SLOT_LEASE_MS).catch(() => {});
  }

  async close(): Promise<void> {
    for (const s of this.lanes.values()) await (await s.catch(() => null))?.close();
  }
}
