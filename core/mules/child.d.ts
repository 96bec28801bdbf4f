import type { Channel } from "../ipc/channel.ts";
export type Message = string | Uint8Array;
/** Validates the target against the configuration; returns [target, index]. */
export declare function resolveTarget(to: number | string | undefined, type: number): [number, number];
/**
 * Sends one message. Throws synchronously on a bad target or size; the
 * promise resolves when the message is accepted (within the window the master
 * acknowledges) and rejects with QueueFull after --mule-send-timeout.
 */
export declare function sendMessage(to: number | string | undefined, msg: Message, type?: number): Promise<void>;
/** Called by the mule role once it is ready to take messages. */
export declare function startReceiving(c: Channel): void;
export interface GetMessageOptions {
    /** Run this mule's signal handlers while waiting (default true; they run whenever the mule is idle). */
    signals?: boolean;
    /** Also take messages sent to this mule's farms (default true, as uWSGI). */
    farms?: boolean;
    /** Seconds to wait; resolves null on timeout. Default: forever. */
    timeout?: number;
    /** Only farm messages (farm_get_msg). */
    farmOnly?: boolean;
}
/**
 * Waits for the next message for this mule. The previous message handed to
 * this mule counts as finished when the next call is made (so a mule killed
 * mid-message gets it redelivered: at-least-once).
 */
export declare function getMessage(opts?: GetMessageOptions): Promise<Message | null>;
/** Marks everything handed out as finished (graceful stop). */
export declare function finishAll(): void;
/** Registers fn under a key every process derives the same way (name + order). */
export declare function registerMuleFunc(fn: (...args: any[]) => unknown, name?: string): string;
export declare function callMuleFunc(to: number | string | undefined, key: string, args: unknown[]): Promise<void>;
