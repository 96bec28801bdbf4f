import type { Socket } from "node:net";
import { pack, unpack } from "msgpackr";
import { FrameWriter } from "./frame.ts";
export type RequestHandler = (op: string, args: any) => unknown | Promise<unknown>;
/** A remote error travels as {name, code, message} and is rebuilt here. */
export declare class RemoteError extends Error {
    readonly code: string;
    constructor(message: string, code: string, name: string);
}
export declare class Channel {
    readonly socket: Socket;
    readonly writer: FrameWriter;
    private reader;
    private handlers;
    private pending;
    private nextId;
    private requestHandler?;
    private closeHandlers;
    closed: boolean;
    /** Told how many requests await an answer (a mule stays alive while any do). */
    onPending?: (n: number) => void;
    constructor(socket: Socket);
    /** Routes frames of `kind` to `fn` (one handler per kind). */
    on(kind: number, fn: (body: Uint8Array) => void): this;
    onClose(fn: () => void): this;
    onRequest(fn: RequestHandler): this;
    /** Sends one frame (coalesced with others of this tick). */
    send(kind: number, body?: Uint8Array): void;
    /** Sends a msgpack-encoded control frame. */
    sendObject(kind: number, obj: unknown): void;
    /** Calls `op` on the other end and resolves with its answer. */
    request<T = any>(op: string, args?: unknown, timeoutMs?: number): Promise<T>;
    flush(): void;
    close(): void;
    private dispatch;
    private answer;
    private settle;
}
export { pack, unpack };
