/**
 * The seeds' `uwsgi` module, snake_case, for line-by-line ports.
 *
 * @example
 * import uwsgi from "mulefarm/uwsgi";
 * uwsgi.mule_msg("ciuchino", 1);
 */
import * as p from "./process.ts";
import { type Message } from "../mules/child.ts";
import * as sig from "./signals.ts";
import * as shared from "./shared.ts";
import * as sp from "./spool.ts";
export declare const worker_id: typeof p.workerId;
export declare const mule_id: typeof p.muleId;
export declare const masterpid: typeof p.masterPid;
export declare const opt: () => Record<string, string | boolean | string[]>;
export declare const started_on: () => number;
export declare const numproc: () => number;
export declare const buffer_size: () => number;
/** mule_msg(msg[, id]): to mule `id`, a farm name, or (no id) the first available programmed mule. Resolves true once accepted. */
export declare function mule_msg(msg: Message, id?: number | string): Promise<boolean>;
/** mule_get_msg(signals, farms, buffer_size, timeout): null on timeout (uWSGI returns b""). */
export declare function mule_get_msg(opts?: {
    signals?: boolean;
    farms?: boolean;
    buffer_size?: number;
    timeout?: number;
}): Promise<Message | null>;
export declare function farm_msg(name: string, msg: Message): Promise<boolean>;
/** farm_get_msg(): the next message sent to a farm this mule belongs to. */
export declare function farm_get_msg(opts?: {
    timeout?: number;
}): Promise<Message | null>;
export declare const in_farm: (name?: string) => boolean;
/** register_signal(num, who, fn): who is "", "worker", "workers", "mule2", "spooler", a farm name, ... */
export declare const register_signal: (num: number, who: string, fn: sig.SignalHandler) => Promise<void>;
/** signal(num): raise it (from any process). */
export declare const signal: (num: number) => Promise<void>;
export declare const signal_wait: (num?: number) => Promise<number>;
export declare const signal_received: () => number;
export declare const signal_registered: (num: number) => boolean;
export declare const add_timer: (num: number, seconds: number) => Promise<void>;
export declare const add_rb_timer: (num: number, seconds: number, iterations?: number) => Promise<void>;
/** add_cron(signal, minute, hour, day, month, weekday): -1 any, -N every N. */
export declare const add_cron: (num: number, minute: number, hour: number, day: number, month: number, weekday: number) => Promise<void>;
export declare const add_file_monitor: (num: number, path: string) => Promise<void>;
/** register_rpc(name, fn). */
export declare const register_rpc: (name: string, fn: (...a: any[]) => unknown) => void;
/** rpc(node, name, ...args): node "" or null calls locally. */
export declare const rpc: (node: string | null, name: string, ...args: unknown[]) => Promise<unknown>;
/** call(name, ...args): a local (this instance) RPC call. */
export declare const call: (name: string, ...args: unknown[]) => Promise<unknown>;
export declare const rpc_list: () => Promise<string[]>;
export declare const set_user_harakiri: (seconds: number) => void;
export declare const lock: (n?: number) => Promise<void>;
export declare const unlock: (n?: number) => void;
export declare const is_locked: (n?: number) => boolean;
/** cache_get(key[, cache_name]): bytes or null. */
export declare const cache_get: (key: string, cache?: string) => Uint8Array<ArrayBufferLike> | null;
/** cache_set(key, value[, expires, cache_name]): false if the key exists and is not expired. */
export declare const cache_set: (key: string, value: string | Uint8Array, expires?: number, cache?: string) => boolean;
/** cache_update(key, value[, expires, cache_name]): always writes. */
export declare const cache_update: (key: string, value: string | Uint8Array, expires?: number, cache?: string) => boolean;
export declare const cache_del: (key: string, cache?: string) => boolean;
export declare const cache_exists: (key: string, cache?: string) => boolean;
export declare const cache_clear: (cache?: string) => void;
export declare const cache_inc: (key: string, by?: number, expires?: number, cache?: string) => number;
export declare const cache_dec: (key: string, by?: number, expires?: number, cache?: string) => number;
export declare const cache_num: (key: string, cache?: string) => number;
export declare const cache_keys: (cache?: string) => string[];
export declare const sharedarea_read: typeof shared.sharedareaRead;
export declare const sharedarea_write: typeof shared.sharedareaWrite;
export declare const sharedarea_readbyte: typeof shared.sharedareaReadByte;
export declare const sharedarea_writebyte: typeof shared.sharedareaWriteByte;
export declare const sharedarea_readlong: typeof shared.sharedareaReadLong;
export declare const sharedarea_writelong: typeof shared.sharedareaWriteLong;
export declare const sharedarea_inclong: typeof shared.sharedareaIncLong;
export declare const queue_push: typeof shared.queuePush;
export declare const queue_pull: typeof shared.queuePull;
export declare const queue_pop: typeof shared.queuePop;
export declare const queue_get: typeof shared.queueGet;
export declare const queue_set: typeof shared.queueSet;
export declare const queue_last: typeof shared.queueLast;
export declare const queue_slot: typeof shared.queueSlot;
export declare const queue_pull_slot: typeof shared.queuePullSlot;
export declare const SPOOL_OK = -2;
export declare const SPOOL_RETRY = -1;
export declare const SPOOL_IGNORE = 0;
/** send_to_spooler(dict, { spooler, priority, at, body }): resolves with the task id once durable. */
export declare const send_to_spooler: (dict: Record<string, unknown>, o?: sp.SpoolOptions) => Promise<string>;
/** spool(dict): the same call under its other name. */
export declare const spool: typeof send_to_spooler;
export declare const set_spooler_frequency: (s: number) => Promise<boolean>;
export declare const spooler_jobs: () => Promise<string[]>;
export declare const spooler_pid: () => Promise<number>;
export declare const spooler_get_task: (path: string) => Promise<import("../spooler/task.ts").TaskRecord | null>;
export declare const i_am_the_spooler: () => boolean;
/** workers(): the workers' stats dicts (id, pid, requests, status, ...). */
export declare function workers(): Promise<any[]>;
/** total_requests(): requests served by all workers so far. */
export declare function total_requests(): Promise<number>;
/** reload(): graceful reload of the whole instance. */
export declare const reload: () => Promise<any>;
/** stop(): graceful stop of the whole instance. */
export declare const stop: () => Promise<any>;
/** log(msg): one line in the instance's log. */
export declare const log: (msg: string) => void;
/**
 * The default export mirrors Python's module: values for started_on,
 * numproc, buffer_size and opt (read when accessed), functions for the rest.
 */
declare const uwsgi: {
    lock: typeof lock;
    unlock: typeof unlock;
    is_locked: typeof is_locked;
    cache_get: typeof cache_get;
    cache_set: typeof cache_set;
    cache_update: typeof cache_update;
    cache_del: typeof cache_del;
    cache_exists: typeof cache_exists;
    cache_clear: typeof cache_clear;
    cache_inc: typeof cache_inc;
    cache_dec: typeof cache_dec;
    cache_num: typeof cache_num;
    cache_keys: typeof cache_keys;
    sharedarea_read: typeof shared.sharedareaRead;
    sharedarea_write: typeof shared.sharedareaWrite;
    sharedarea_readbyte: typeof shared.sharedareaReadByte;
    sharedarea_writebyte: typeof shared.sharedareaWriteByte;
    sharedarea_readlong: typeof shared.sharedareaReadLong;
    sharedarea_writelong: typeof shared.sharedareaWriteLong;
    sharedarea_inclong: typeof shared.sharedareaIncLong;
    queue_push: typeof shared.queuePush;
    queue_pull: typeof shared.queuePull;
    queue_pop: typeof shared.queuePop;
    queue_get: typeof shared.queueGet;
    queue_set: typeof shared.queueSet;
    queue_last: typeof shared.queueLast;
    queue_slot: typeof shared.queueSlot;
    queue_pull_slot: typeof shared.queuePullSlot;
    workers: typeof workers;
    total_requests: typeof total_requests;
    reload: typeof reload;
    stop: typeof stop;
    log: typeof log;
    SPOOL_OK: number;
    SPOOL_RETRY: number;
    SPOOL_IGNORE: number;
    send_to_spooler: typeof send_to_spooler;
    spool: typeof send_to_spooler;
    set_spooler_frequency: typeof set_spooler_frequency;
    spooler_jobs: typeof spooler_jobs;
    spooler_pid: typeof spooler_pid;
    spooler_get_task: typeof spooler_get_task;
    i_am_the_spooler: typeof i_am_the_spooler;
    /** uwsgi.spooler = fn: the handler of raw send_to_spooler tasks. */
    spooler: (args: Record<string, unknown>) => unknown;
    register_rpc: typeof register_rpc;
    rpc: typeof rpc;
    call: typeof call;
    rpc_list: typeof rpc_list;
    set_user_harakiri: typeof set_user_harakiri;
    register_signal: typeof register_signal;
    signal: typeof signal;
    signal_wait: typeof signal_wait;
    signal_received: typeof signal_received;
    signal_registered: typeof signal_registered;
    add_timer: typeof add_timer;
    add_rb_timer: typeof add_rb_timer;
    add_cron: typeof add_cron;
    add_file_monitor: typeof add_file_monitor;
    mule_msg: typeof mule_msg;
    mule_get_msg: typeof mule_get_msg;
    farm_msg: typeof farm_msg;
    farm_get_msg: typeof farm_get_msg;
    in_farm: typeof in_farm;
    worker_id: typeof p.workerId;
    mule_id: typeof p.muleId;
    masterpid: typeof p.masterPid;
    readonly started_on: number;
    readonly numproc: number;
    readonly buffer_size: number;
    readonly opt: Record<string, string | boolean | string[]>;
};
export default uwsgi;
