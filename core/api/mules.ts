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
import { type Message, sendMessage } from "../mules/send.ts";
import { type Fn, mulefuncWith, type Offloaded, offloadTo } from "./offload.ts";

export type { GetMessageOptions, Message };

const farmList = () => {
  const farms = ctx.config?.farms ?? [];
  return farms.length ? ` (farms: ${farms.map((f) => f.name).join(", ")})` : " (no farm is configured)";
};

/**
 * A mule by id. Like uwsgiconf's `Mule(id)`, constructing one only names it
 * (a module that declares `new Mule(3).offload()(fn)` at its top level loads
 * in an instance with fewer mules); `send` and offloaded calls raise
 * MuleNotFound when there is no such mule.
 */
export class Mule {
  constructor(readonly id: number) {}

  /** The id as a send target, or MuleNotFound (0 would mean "any mule"). */
  private target(): number {
    if (!Number.isInteger(this.id) || this.id < 1) throw new MuleNotFound(refused("a mule id must be a positive integer", this.id));
    return this.id;
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
    return sendMessage(this.target(), msg);
  }
  /** `mule.offload()(fn)`: calling the result runs fn(...args) in this mule and returns a promise of its result (MuleNotFound at the call when there is none). */
  offload(name?: string): <F extends Fn>(fn: F) => Offloaded<F> {
    return (fn) => offloadTo(() => this.target(), fn, name);
  }
}

/**
 * A farm by name. Like uwsgiconf's `Farm(name)`, constructing one never
 * throws: a module that declares `new Farm("video").offload()(fn)` at its top
 * level and is loaded everywhere (--import) also loads where that farm is not
 * configured. `send`, offloaded calls and `getMessage` raise FarmNotFound there.
 */
export class Farm {
  constructor(readonly name: string) {}
  /** Every configured farm. */
  static all(): Farm[] {
    return (ctx.config?.farms ?? []).map((f) => new Farm(f.name));
  }
  /** Waits for a message sent to any farm this mule belongs to. */
  static getMessage(opts: Omit<GetMessageOptions, "farmOnly"> = {}): Promise<Message | null> {
    if (ctx.role !== "mule") throw new NotInMule("Farm.getMessage() only works inside a mule");
    return getMessage({ ...opts, farmOnly: true });
  }
  /**
   * Waits for a message sent to a farm this mule belongs to (uwsgiconf's
   * `Farm.get_message()`, uWSGI's farm_get_msg: any of this mule's farms).
   * NotInMule outside mules; FarmNotFound when this farm is not configured or
   * this mule is not one of its members.
   */
  getMessage(opts: Omit<GetMessageOptions, "farmOnly"> = {}): Promise<Message | null> {
    if (ctx.role !== "mule") throw new NotInMule(`Farm("${this.name}").getMessage() only works inside a mule`);
    const farm = ctx.config?.farms.find((f) => f.name === this.name);
    if (!farm) throw new FarmNotFound(`no farm named "${this.name}"${farmList()}`);
    if (!farm.mules.includes(ctx.id)) throw new FarmNotFound(`farm "${this.name}" does not include mule ${ctx.id} (its mules: ${farm.mules.join(", ")})`);
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
  offload(name?: string): <F extends Fn>(fn: F) => Offloaded<F> {
    return (fn) => offloadTo(this.name, fn, name);
  }
}

/**
 * Offloads a function to a mule: `mulefunc(fn)` (any mule), `mulefunc(3)(fn)`
 * (mule 3), `mulefunc("farm")(fn)`. Calling the returned function sends the
 * call and returns a promise of fn's result (await it; a thrown error
 * arrives as an error with its message); arguments and results travel as
 * msgpack. Every process must load the module that registers it
 * (`--import`), in the same order.
 */
export function mulefunc<F extends Fn>(fn: F): Offloaded<F>;
export function mulefunc(target: number | string): <F extends Fn>(fn: F) => Offloaded<F>;
export function mulefunc(a: any): any {
  return mulefuncWith(a, offloadTo);
}


/** uWSGI's in_farm(): whether this mule is in farm `name` (any farm when omitted). */
export function inFarm(name?: string): boolean {
  if (ctx.role !== "mule" || !ctx.config) return false;
  return ctx.config.farms.some((f) => (name === undefined || f.name === name) && f.mules.includes(ctx.id));
}
