import { type GetMessageOptions, type Message } from "../mules/child.ts";
export type { GetMessageOptions, Message };
type Fn = (...args: any[]) => unknown;
export declare class Mule {
    readonly id: number;
    constructor(id: number);
    /** The mule this process is, or null outside mules. */
    static current(): Mule | null;
    /** This mule's id, 0 outside mules. */
    static currentId(): number;
    /** Waits for the next message to this mule (its own queue, the shared queue, its farms). Null on timeout. */
    static getMessage(opts?: GetMessageOptions): Promise<Message | null>;
    /** The messages of this mule, for `for await`. */
    static messages(opts?: Omit<GetMessageOptions, "timeout">): AsyncGenerator<Message>;
    /** Sends to the first available programmed mule (the shared queue). */
    static send(msg: Message): Promise<void>;
    /** Sends a message to this mule. Resolves when accepted; QueueFull after --mule-send-timeout. */
    send(msg: Message): Promise<void>;
    /** `mule.offload()(fn)`: calling the result runs fn(...args) in this mule. */
    offload(name?: string): <F extends Fn>(fn: F) => (...args: Parameters<F>) => Promise<void>;
}
export declare class Farm {
    readonly name: string;
    constructor(name: string);
    /** Every configured farm. */
    static all(): Farm[];
    /** Waits for a message sent to any farm this mule belongs to. */
    static getMessage(opts?: Omit<GetMessageOptions, "farmOnly">): Promise<Message | null>;
    /** The member mules. */
    get mules(): Mule[];
    /** Whether the current mule belongs to this farm. */
    isMine(): boolean;
    /** Sends to the farm: exactly one member takes it. */
    send(msg: Message): Promise<void>;
    offload(name?: string): <F extends Fn>(fn: F) => (...args: Parameters<F>) => Promise<void>;
}
/**
 * Offloads a function to a mule: `mulefunc(fn)` (any mule), `mulefunc(3)(fn)`
 * (mule 3), `mulefunc("farm")(fn)`. The returned function returns at once;
 * arguments travel as msgpack. Every process must load the module that
 * registers it (`--import`), in the same order.
 */
export declare function mulefunc<F extends Fn>(fn: F): (...args: Parameters<F>) => Promise<void>;
export declare function mulefunc(target: number | string): <F extends Fn>(fn: F) => (...args: Parameters<F>) => Promise<void>;
/** uWSGI's in_farm(): whether this mule is in farm `name` (any farm when omitted). */
export declare function inFarm(name?: string): boolean;
