// Signals across instances (the master's side). `raiseSignal(n, "cluster")`
// in any process of any instance appends n to one Redis stream; every master
// on that Redis reads the stream from the last entry it saw and routes each
// entry as a local raise (its registered target: mule, spooler, workers...).
// The raising instance reads its own entry like the others, so it runs there too.
//
// Not lost on a blip: a reader that loses its connection resumes from its last
// id once it is back, and entries stay in the stream RETAIN_MS (trimmed by
// time on each append), so an instance away for less than that gets every
// raise of the meantime, in order. One away longer gets what is still in the
// stream (the last RETAIN_MS) and a log line saying older raises were missed.
// An instance (re)started reads from the tail: raises before its start are not
// replayed.
import { oneLine } from "../errors.ts";
import type { RedisClient } from "../redis/client.ts";
import { SIGNALS } from "../redis/keys.ts";
import { randomHex } from "../base/random.ts";

export const RETAIN_MS = 120_000;
const BLOCK_MS = 5_000;

export class ClusterSignals {
  private lastId = "";
  private stopped = false;
  private loop: Promise<void> | null = null;
  /** Raise ids seen lately: an XADD re-sent after a reconnect appends a second entry with the same id. */
  private seen = new Set<string>();
  raised = 0;
  received = 0;

  /** `reader` is a connection of its own (a blocked XREAD holds it); `route` raises locally. */
  constructor(private c: RedisClient, private reader: RedisClient, private boundMs: number,
    private route: (num: number) => void, private log: (line: string) => void) {}

  /** Reads from the stream's current tail: what is raised from now on. */
  async start(): Promise<void> {
    const last = await this.c.run(this.boundMs, (r) => r.xrevrange(SIGNALS, "+", "-", "COUNT", 1), "cluster signals");
    this.lastId = last[0]?.[0] ?? "0-0";
    this.loop = this.read();
  }

  /** Appends a raise for every instance; resolves once Redis has it. */
  async raise(num: number, from: string): Promise<void> {
    const minId = `${Date.now() - RETAIN_MS}-0`;
    const rid = randomHex(8);
    await this.c.run(this.boundMs, (r) => r.xadd(SIGNALS, "MINID", "~", minId, "*", "n", String(num), "from", from, "r", rid), `cluster signal ${num}`);
    this.raised++;
  }

  private async read(): Promise<void> {
    let downSince = 0;
    while (!this.stopped) {
      let res: any;
      try {
        res = await this.reader.run(60_000, (r) => r.xread("COUNT", 256, "BLOCK", BLOCK_MS, "STREAMS", SIGNALS, this.lastId), "reading cluster signals");
      } catch (e) {
        if (this.stopped) return;
        if (!downSince) {
          downSince = Date.now();
          this.log(`cluster signals: reading paused (${oneLine(e)}); resuming from the last one seen once Redis is back`);
        }
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (downSince) {
        await this.checkGap(Date.now() - downSince);
        downSince = 0;
      }
      if (!res) continue;
      for (const [, entries] of res as Array<[string, Array<[string, string[]]>]>) {
        for (const [id, fields] of entries) {
          this.lastId = id;
          const i = fields.indexOf("n");
          const num = i >= 0 ? Number(fields[i + 1]) : NaN;
          if (!Number.isInteger(num) || num < 0 || num > 255) continue;
          const r = fields.indexOf("r");
          const rid = r >= 0 ? fields[r + 1] : id;
          if (this.seen.has(rid)) continue;
          this.seen.add(rid);
          if (this.seen.size > 4096) this.seen.delete(this.seen.values().next().value!);
          this.received++;
          try { this.route(num); } catch (e) { this.log(`cluster signal ${num}: ${oneLine(e)}`); }
        }
      }
    }
  }

  /** After an outage: were entries trimmed before this reader saw them? */
  private async checkGap(awayMs: number): Promise<void> {
    try {
      const first = await this.c.run(1_000, (r) => r.xrange(SIGNALS, "-", "+", "COUNT", 1));
      const oldest = first[0]?.[0];
      if (oldest && cmpId(oldest, this.lastId) > 0 && this.lastId !== "0-0") {
        this.log(`cluster signals: away ${Math.round(awayMs / 1000)} s, longer than the ${RETAIN_MS / 1000} s kept: raises older than that were missed`);
      } else {
        this.log(`cluster signals: reading again after ${Math.round(awayMs / 1000)} s: raises of the meantime follow`);
      }
    } catch { /* the read loop will notice */ }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.reader.close();
    await this.loop?.catch(() => {});
  }
}

/** Compares two stream ids "ms-seq". */
function cmpId(a: string, b: string): number {
  const [am, as] = a.split("-").map(Number), [bm, bs] = b.split("-").map(Number);
  return am - bm || as - bs;
}
