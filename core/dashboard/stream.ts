// The page's live feed (Server-Sent Events on GET /events): on connect the
// charts' history, the recent master events and the current state; then a
// tick a second (a new chart sample and the tables' state) and each master
// event as it happens. Sampling runs only while a page is open: an instance
// nobody watches pays nothing but the rings it already holds.
import type { Socket } from "node:net";
import { CronLastRuns, pageState } from "./state.ts";
import { EventRing, type MasterEvent } from "./events.ts";
import { SampleRing } from "./series.ts";
import { send, sendStreamHead } from "./http.ts";

export const TICK_MS = 1000;
/** A page that stops reading (over this much unsent) is dropped rather than buffered without bound. */
const MAX_BACKLOG = 1 << 20;
/** Open streams at most: each costs a socket and its share of every tick. */
export const MAX_STREAMS = 32;

export interface StreamHost {
  doc(): Record<string, any>;
  memKb(pid: number): { rss: number; pss: number | null };
}

export class LiveStream {
  readonly events = new EventRing();
  private samples = new SampleRing();
  private crons = new CronLastRuns();
  private clients = new Set<Socket>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private offEvents: () => void;

  constructor(private host: StreamHost) {
    this.offEvents = this.events.onEvent((e) => this.broadcast("log", e));
  }

  /** Answers GET /events on `sock` and keeps it (503 past MAX_STREAMS). */
  open(sock: Socket, headers: Record<string, string>): void {
    if (this.clients.size >= MAX_STREAMS) return send(sock, 503, headers, `too many open pages (${MAX_STREAMS})\n`);
    sendStreamHead(sock, { ...headers, "Content-Type": "text/event-stream; charset=utf-8" });
    this.clients.add(sock);
    sock.on("close", () => this.drop(sock));
    sock.on("error", () => this.drop(sock));
    if (!this.timer) {
      this.tick(false);
      this.timer = setInterval(() => this.tick(true), TICK_MS);
    }
    const doc = this.host.doc();
    write(sock, "retry: 2000\n\n");
    write(sock, frame("hello", { samples: this.samples.all(), events: this.events.all(), state: pageState(doc, this.host.memKb, this.crons) }));
  }

  private drop(sock: Socket) {
    this.clients.delete(sock);
    if (!this.clients.size && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private tick(send: boolean) {
    const doc = this.host.doc();
    const sample = this.samples.add(doc);
    if (send) this.broadcast("tick", { sample, state: pageState(doc, this.host.memKb, this.crons) });
  }

  private broadcast(event: string, data: unknown) {
    if (!this.clients.size) return;
    const f = frame(event, data);
    for (const c of this.clients) {
      if (c.writableLength > MAX_BACKLOG) { c.destroy(); this.drop(c); continue; }
      write(c, f);
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.offEvents();
    this.events.close();
    for (const c of this.clients) c.destroy();
    this.clients.clear();
  }
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function write(sock: Socket, text: string) {
  try { sock.write(text); } catch { /* closed under us: its close event drops it */ }
}

export type { MasterEvent };
