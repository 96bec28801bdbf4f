// Wire message kinds: the one protocol spoken between the master and every
// child role. A frame is [u32 LE length of (kind + body)][u8 kind][body].
// Hot-path kinds (mule messages, acks, signals) use small binary bodies;
// control kinds carry msgpack.

export const Kind = {
  // handshake (msgpack)
  Hello: 1, //        child → master {role, id, pid}
  Init: 2, //         master → child {config, ...}
  Ready: 3, //        child → master {} (listening / loaded)
  Stats: 4, //        child → master {requests, exceptions, ...} (pushed when changed)
  Shutdown: 5, //     master → child {graceful: boolean}
  Log: 6, //          either way: {line}

  // requests with replies (msgpack {id, op, args} / {id, ok, value|error})
  Request: 10,
  Reply: 11,

  // mule messages (binary, see core/mules/wire.ts)
  MuleSend: 20, //    sender → master: target + payload
  MuleSendAck: 21, // master → sender: u32 count accepted into queues
  MuleDeliver: 22, // master → mule: source + payload
  MuleCredit: 23, //  mule → master: u32 consumed (ack) + u32 extra credit
  MuleHostDeliver: 25, // master → light-mule host: [u16 mule id] + MuleDeliver body
  MuleHostCredit: 26, //  light-mule host → master: [u16 mule id] + MuleCredit body
  // direct messages (shared-memory rings, core/mules/ring.ts): only the wake-ups travel here
  MuleWake: 27, //   sender → master → mule: [u16 mule id] "your ring has data"
  MuleSpace: 28, //  mule → master: [u16 mule id][u16 ring]; master → sender: [u16 mule id] "room again"

  // signals (binary: u8 num)
  SignalRaise: 30, // any child → master
  SignalDeliver: 31, // master → target child
  SignalAck: 32, //   master → raiser: [u8 status][u32 count]... (0 routed, 1 queue full, 2 no handler)
  SignalDone: 33, //  child → master: the numbers it finished handling (u8 each)
  SignalDirect: 34, // raiser → master: numbers it delivered straight to their target (for the stats)
  SignalAt: 35, //    master → target: [u8 num][f64 LE time] a timer tick to run at that time (performance.timeOrigin + now(), ms)
  SignalReraise: 37, // raiser → master: [u32 LE pid of the target that went away][u8 num]... sent straight to it, unfinished (second deliveries; no ack)
  SignalPeer: 38, //  direct target → raiser, on connect: [u32 LE pid]
  MuleHostSignal: 36, // master → light-mule host: ([u16 mule id, or ALL_LIGHT_MULES][u8 num])... (finished: SignalDone as from any target)
  // SignalDeliver and SignalDone also travel raiser ↔ target on a direct connection (core/signals/peer.ts)

  // spooler wake-up (msgpack {dir})
  SpoolWake: 40,

  // raw benchmark frames (counted, never interpreted)
  Bench: 90,
} as const;

/**
 * The exit status of a child whose code cannot be loaded (EX_CONFIG): the child
 * exits with it after a fatal Log frame, and the master, seeing it at an
 * instance's first start, stops the instance with that one line.
 */
export const EXIT_FATAL = 78;

/** MuleHostSignal's mule id for "every light mule of this host" (a signal registered for "mules"). */
export const ALL_LIGHT_MULES = 0xffff;

export type KindName = keyof typeof Kind;
export type KindValue = (typeof Kind)[KindName];

export type Role = "master" | "worker" | "mule" | "mulehost" | "spooler" | "bench" | "control";

/** What a child says first, so the master knows which slot it fills. */
export interface Hello {
  role: Role;
  id: number;
  pid: number;
  token: string;
}
