/**
 * Mules and farms, shaped like uwsgiconf's runtime API.
 *
 * @example
 * import { Mule, Farm, mulefunc } from "mulefarm";
 * await new Mule(1).send("ciuchino");                 // to mule 1
 * await new Farm("video").send(JSON.stringify(job));  // one mule of farm "video"
 * for await (const msg of Mule.messages()) handle(msg); // inside a mule
 */
import { FarmNotFound, MuleNotFound, NotInMule, refused } from "../errors.ts";
import { ctx } from "../runtime/context.ts";
import { getMessage, type GetMessageOptions } from "../mules/receive.ts";
import { callMuleFunc, registerMuleFunc } from "../mules/mulefunc.ts";
import { type Message, resolveTarget, sendMessage } from "../mules/send.ts";
import { Payload } from "../mules/wire.ts";

export type { GetMessageOptions, Message };
type Fn = (...args: any[]) => unknown;

/** Wraps `fn` so calling it runs it in `to` (undefined: any mule) and returns at once. */
function offloadTo(to: number | string | undefined, fn: Fn, name?: string): (...args: any[]) => Promise<void> {
  const key = registerMuleFunc(fn, name);
  return (...args: any[]) => callMuleFunc(to, key, args);
}

export class Mule {
  constructor(readonly id: number) {
    if (!Number.isInteger(id) || id < 1) throw new MuleNotFound(refused("a mule id must be a positive integer", id));
  }

  /** The mule this process is, or null outside mules. */
  static current(): Mule | null {
    return ctx.role === "mule" ? new Mule(ctx.id) : null;
  }
  /** This mule's id, 0 outside mules. */
  static currentId(): number {
    return ctx.role === "mule" ? ctx.id : 0;
  }
  /** Waits for the next message to this mule (its own queue, the shared queue, its farms). Null on timeout. */
  static getMessage(opts?: GetMessageOptions): Promise<Message | null> {
    return getMessage(opts);
  }
  /** The messages of this mule, for `for await`. */
  static async *messages(opts?: Omit<GetMessageOptions, "timeout">): AsyncGenerator<Message> {
    for (;;) yield (await getMessage(opts))!;
  }
  /** Sends to the first available programmed mule (the shared queue). */
  static send(msg: Message): Promise<void> {
    return sendMessage(undefined, msg);
  }

  /** Sends a message to this mule. Resolves when accepted; QueueFull after --mule-send-timeout. */
  send(msg: Message): Promise<void> {
    return sendMessage(this.id, msg);
  }
  /** `mule.offload()(fn)`: calling the result runs fn(...args) in this mule. */
  offload(name?: string): <F extends Fn>(fn: F) => (...args: Parameters<F>) => Promise<void> {
    return (fn) => offloadTo(this.id, fn, name);
  }
}

export class Farm {
  constructor(readonly name: string) {
    if (ctx.config && !ctx.config.farms.some((f) => f.name === name)) throw new FarmNotFound(`no farm named "${name}"`);
  }
  /** Every configured farm. */
  static all(): Farm[] {
    return (ctx.config?.farms ?? []).map((f) => new Farm(f.name));
  }
  /** Waits for a message sent to any farm this mule belongs to. */
  static getMessage(opts: Omit<GetMessageOptions, "farmOnly"> = {}): Promise<Message | null> {
    if (ctx.role !== "mule") throw new NotInMule("Farm.getMessage() only works inside a mule");
    return getMessage({ ...opts, farmOnly: true });
  }
  /** The member mules. */
  get mules(): Mule[] {
    return (ctx.config?.farms.find((f) => f.name === this.name)?.mules ?? []).map((id) => new Mule(id));
  }
  /** Whether the current mule belongs to this farm. */
  isMine(): boolean {
    return ctx.role === "mule" && this.mules.some((m) => m.id === ctx.id);
  }
  /** Sends to the farm: exactly one member takes it. */
  send(msg: Message): Promise<void> {
    return sendMessage(this.name, msg);
  }
  offload(name?: string): <F extends Fn>(fn: F) => (...args: Parameters<F>) => Promise<void> {
    return (fn) => offloadTo(this.name, fn, name);
  }
}

/**
 * Offloads a function to a mule: `mulefunc(fn)` (any mule), `mulefunc(3)(fn)`
 * (mule 3), `mulefunc("farm")(fn)`. The returned function returns at once;
 * arguments travel as msgpack. Every process must load the module that
 * registers it (`--import`), in the same order.
 */
export function mulefunc<F extends Fn>(fn: F): (...args: Parameters<F>) => Promise<void>;
export function mulefunc(target: number | string): <F extends Fn>(fn: F) => (...args: Parameters<F>) => Promise<void>;
export function mulefunc(a: any): any {
  if (typeof a === "function") return offloadTo(undefined, a);
  if (typeof a === "number" || typeof a === "string") {
    return (fn: Fn) => {
      if (ctx.config) resolveTarget(a, Payload.MuleFunc);
      return offloadTo(a, fn);
    };
  }
  throw new TypeError("mulefunc takes a function, a mule id or a farm name");
}

/** uWSGI's in_farm(): whether this mule is in farm `name` (any farm when omitted). */
export function inFarm(name?: string): boolean {
  if (ctx.role !== "mule" || !ctx.config) return false;
  return ctx.config.farms.some((f) => (name === undefined || f.name === name) && f.mules.includes(ctx.id));
}
