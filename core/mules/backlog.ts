// The one backpressure queue of a sender: messages that found no room are
// kept here, in order, until room is made (the master acknowledged, or the
// mule finished records of a direct ring). A message still here after
// --mule-send-timeout is refused with QueueFull: it was never written, so
// refusing it loses nothing that was accepted. Used by the master path
// (send.ts) and by each direct lane (lane.ts).
import { QueueFull } from "../errors.ts";
import { ctx } from "../runtime/context.ts";
import { keepAlive } from "../runtime/keepalive.ts";
import { Deque } from "../base/deque.ts";

interface Held<T> { item: T; resolve: () => void; reject: (e: Error) => void; timer?: ReturnType<typeof setTimeout> }

export class Backlog<T> {
  private held = new Deque<Held<T>>();

  /** `holdName` keeps the process alive while something waits; `what` names an item's queue in QueueFull. */
  constructor(private readonly holdName: string, private readonly what: (item: T) => string) {}

  get length(): number {
    return this.held.length;
  }

  /** Keeps `item` until `drain` writes it; the promise settles then (or with QueueFull). */
  hold(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const h: Held<T> = { item, resolve, reject };
      const timeoutS = ctx.config!.muleSendTimeout;
      h.timer = setTimeout(() => {
        this.held.unshiftAll(this.held.drain().filter((x) => x !== h));
        if (!this.held.length) keepAlive.release(this.holdName);
        reject(new QueueFull(`mule queue for ${this.what(item)} stayed full for ${timeoutS} s (--mule-send-timeout)`));
      }, timeoutS * 1000);
      this.held.push(h);
      keepAlive.hold(this.holdName);
    });
  }

  /** Writes held items, oldest first, while `write` takes them (true); returns how many it took. */
  drain(write: (item: T) => boolean): number {
    let n = 0;
    for (;;) {
      const h = this.held.peek();
      if (!h || !write(h.item)) break;
      this.held.shift();
      clearTimeout(h.timer);
      h.resolve();
      n++;
    }
    if (!this.held.length) keepAlive.release(this.holdName);
    return n;
  }
}
