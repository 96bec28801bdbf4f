// The master's events for the page's log: spawns, exits with their reason,
// respawns, reloads. Taken from the master's own log lines (the log sinks see
// every line; children's lines are left out), kept in a bounded ring so a
// long-lived master does not grow, and pushed to the open event streams.
import { logSinks } from "../log.ts";

export type EventKind = "spawn" | "exit" | "respawn" | "reload" | "stop" | "info";
export interface MasterEvent { seq: number; t: number; kind: EventKind; text: string }

/** Events kept for a page that opens now; older ones are dropped. */
export const EVENT_RING = 500;

export function kindOf(text: string): EventKind {
  if (/respawning/.test(text)) return "respawn";
  if (/^spawned /.test(text)) return "spawn";
  if (/reload/.test(text)) return "reload";
  if (/exited with code|killed by|\bidle: parked/.test(text)) return "exit";
  if (/stopping|goodbye|SIGKILL/.test(text)) return "stop";
  return "info";
}

export class EventRing {
  private ring: MasterEvent[] = [];
  private seq = 0;
  private listeners = new Set<(e: MasterEvent) => void>();
  private sink = (line: string) => {
    if (!line.startsWith("[master] ")) return;
    this.push(line.slice(9));
  };

  constructor(private size = EVENT_RING) {
    logSinks.push(this.sink);
  }

  push(text: string): MasterEvent {
    const e: MasterEvent = { seq: ++this.seq, t: Date.now(), kind: kindOf(text), text };
    this.ring.push(e);
    if (this.ring.length > this.size) this.ring.splice(0, this.ring.length - this.size);
    for (const l of this.listeners) l(e);
    return e;
  }

  all(): MasterEvent[] {
    return this.ring.slice();
  }

  onEvent(fn: (e: MasterEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  close(): void {
    const i = logSinks.indexOf(this.sink);
    if (i >= 0) logSinks.splice(i, 1);
    this.listeners.clear();
  }
}
