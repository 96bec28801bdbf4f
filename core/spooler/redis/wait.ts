// How an idle claimer waits for work on a Redis spool: it blocks on the
// spool's wake list (BLPOP on a connection of its own; every accept, on any
// instance, pushes a marker there) until a marker comes, the next due time or
// lease expiry, an interrupt, or the caller's bound. The pop's timeout is
// always finite (a blocked pop can hang after a short disconnect:
// redis/ioredis#1888). An interrupted pop stays pending and is reused by the
// next wait (a second pop on the same connection would queue behind it).
import type { RedisClient } from "../../redis/client.ts";

export class WakeWaiter {
  private blocker: Promise<RedisClient> | null = null;
  private pop: Promise<unknown> | null = null;
  private kick: (() => void) | null = null;
  private kicked = false;

  constructor(private client: RedisClient, private wakeKey: string, private nextLook: () => Promise<number | null>) {}

  /** Ends the current wait, or the next one if none is in progress. */
  interrupt(): void {
    if (this.kick) this.kick();
    else this.kicked = true;
  }

  async wait(maxMs: number): Promise<void> {
    // An interrupt that came while no wait was in progress ends this one.
    if (this.kicked) { this.kicked = false; return; }
    let ms = Math.max(0, maxMs);
    this.kick = () => { this.kicked = true; };
    try {
      const due = await this.nextLook();
      if (due !== null) ms = Math.min(ms, Math.max(0, due - Date.now()));
    } catch {
      ms = Math.min(ms, 1000); // Redis away: look again soon
    }
    this.kick = null;
    if (this.kicked) { this.kicked = false; return; }
    if (ms <= 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = new Promise<void>((resolve) => {
      this.kick = resolve;
      timer = setTimeout(resolve, ms);
    });
    this.pop ??= this.popWake(ms).finally(() => { this.pop = null; });
    await Promise.race([this.pop, stop]);
    clearTimeout(timer);
    this.kick = null;
  }

  private async popWake(ms: number): Promise<void> {
    try {
      this.blocker ??= this.client.duplicate("blocking", `mf:spool-wait:${process.pid}`);
      const b = await this.blocker;
      await b.run(ms, (r) => r.blpop(this.wakeKey, Math.max(0.01, Math.min(ms, 60_000) / 1000)));
    } catch {
      await new Promise((r) => setTimeout(r, Math.min(ms, 200)));
    }
  }

  async close(): Promise<void> {
    this.kick?.();
    const b = this.blocker;
    this.blocker = null;
    // Not QUIT: it would wait behind a blocked pop.
    if (b) (await b.catch(() => null))?.redis.disconnect();
  }
}
