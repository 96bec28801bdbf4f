// Poison messages, set aside. A message (or offloaded call, or signal) whose
// process died while holding it is delivered again at most
// --mule-max-redeliveries times (--signal-max-redeliveries for signals); after
// that it is parked here instead: one log line, counted in the stats, kept in
// the master up to PARKED_MAX for `mulefarm mule parked` to show and
// `mulefarm mule resend` to route again. The messages behind it flow on.
type Log = (line: string) => void;

/** Parked entries kept; past it the oldest goes, with a log line (the count in the stats keeps growing). */
export const PARKED_MAX = 1000;
const PREVIEW = 64;

export interface Parked {
  id: number;
  /** What it was: a message for one mule, a farm, the shared queue, an offloaded call, or a signal. */
  kind: "mule" | "farm" | "shared" | "mulefunc" | "signal";
  /** Its target as the user named it: "mule1", "farm f", "shared", a signal's target. */
  target: string;
  /** The mule (or process) that died holding it the last time, e.g. "mule 1". */
  holder: string;
  /** The sending process (0: unknown). */
  sender: number;
  size: number;
  /** Times it was delivered (its holders died every time). */
  deliveries: number;
  /** When it was parked (ms since the epoch). */
  at: number;
  payload: Uint8Array;
  /** Payload type (Payload.*), or the signal number. */
  type: number;
  /** How to route it again (engine-specific). */
  route: { target: number; index: number };
}

// One id space for every store in the master (the mule engine's and the
// signal engine's), so `mulefarm mule resend ID` needs no kind.
let nextId = 1;

export class ParkedStore {
  private items: Parked[] = [];
  /** Parked ever, by holder ("mule 1"), for the stats. */
  readonly countBy = new Map<string, number>();
  total = 0;

  constructor(private log: Log, private what = "message") {}

  add(p: Omit<Parked, "id" | "at">): Parked {
    const e: Parked = { ...p, id: nextId++, at: Date.now() };
    this.items.push(e);
    this.total++;
    this.countBy.set(p.holder, (this.countBy.get(p.holder) ?? 0) + 1);
    if (this.items.length > PARKED_MAX) {
      const old = this.items.shift()!;
      this.log(`parked ${this.what} #${old.id} (${old.size} bytes for ${old.target}) is no longer kept: at most ${PARKED_MAX} are`);
    }
    return e;
  }

  get length(): number {
    return this.items.length;
  }

  /** What `mulefarm mule parked` shows: everything but the payload, which is previewed. */
  list(): Array<Record<string, unknown>> {
    return this.items.map(({ payload, route: _r, ...rest }) => ({ ...rest, preview: preview(payload, rest.kind === "signal") }));
  }

  /** Takes entries out to be routed again: `ids`, or all of them when empty. */
  take(ids: number[]): Parked[] {
    if (!ids.length) return this.items.splice(0);
    const want = new Set(ids);
    const out = this.items.filter((p) => want.has(p.id));
    this.items = this.items.filter((p) => !want.has(p.id));
    return out;
  }
}

function preview(b: Uint8Array, signal: boolean): string {
  if (signal) return "";
  const head = b.subarray(0, PREVIEW);
  const text = new TextDecoder("utf-8", { fatal: false }).decode(head);
  // Printable text is shown as text; anything else as hex.
  const shown = /^[\x20-\x7e\u00a0-\uffff\t\n\r]*$/.test(text) ? JSON.stringify(text) : `0x${[...head].map((x) => x.toString(16).padStart(2, "0")).join("")}`;
  return b.length > PREVIEW ? `${shown}…` : shown;
}
