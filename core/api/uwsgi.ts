/**
 * The seeds' `uwsgi` module, snake_case, for line-by-line ports.
 *
 * @example
 * import uwsgi from "mulefarm/uwsgi";
 * uwsgi.mule_msg("ciuchino", 1);
 */
import * as p from "./process.ts";
import { Farm, inFarm } from "./mules.ts";
import { getMessage } from "../mules/receive.ts";
import { sendMessage, type Message } from "../mules/send.ts";
import * as sig from "./signals.ts";
import * as rpcApi from "./rpc.ts";
import * as life from "./lifecycle.ts";
import * as shared from "./shared.ts";
import * as sp from "./spool.ts";
import { channel } from "../runtime/context.ts";

export const worker_id = p.workerId;
export const mule_id = p.muleId;
export const masterpid = p.masterPid;
export const opt = () => p.opt();
export const started_on = () => p.startedOn();
export const numproc = () => p.numproc();
export const buffer_size = () => p.bufferSize();

/** mule_msg(msg[, id]): to mule `id`, a farm name, or (no id) the first available programmed mule. Resolves true once accepted. */
export async function mule_msg(msg: Message, id?: number | string): Promise<boolean> {
  await sendMessage(id, msg);
  return true;
}
/** mule_get_msg(signals, farms, buffer_size, timeout): null on timeout (uWSGI returns b""). */
export function mule_get_msg(opts: { signals?: boolean; farms?: boolean; buffer_size?: number; timeout?: number } = {}): Promise<Message | null> {
  return getMessage({ signals: opts.signals, farms: opts.farms, timeout: opts.timeout !== undefined && opts.timeout >= 0 ? opts.timeout : undefined });
}
export async function farm_msg(name: string, msg: Message): Promise<boolean> {
  await new Farm(name).send(msg);
  return true;
}
/** farm_get_msg(): the next message sent to a farm this mule belongs to. */
export function farm_get_msg(opts: { timeout?: number } = {}): Promise<Message | null> {
  return Farm.getMessage(opts);
}
export const in_farm = (name?: string) => inFarm(name);

/** register_signal(num, who, fn): who is "", "worker", "workers", "mule2", "spooler", a farm name, ... */
export const register_signal = (num: number, who: string, fn: sig.SignalHandler) => sig.registerSignal(num, who, fn);
/** signal(num): raise it (from any process). */
/** signal(num) raises here; signal(num, "host:port") in the instance whose --rpc listens there. */
export const signal = (num: number, remote?: string) => sig.raiseSignal(num, remote);
export const signal_wait = (num?: number) => sig.signalWait(num);
export const signal_received = () => sig.signalReceived();
export const signal_registered = (num: number) => sig.signalRegistered(num);
export const add_timer = (num: number, seconds: number) => sig.addTimer(num, seconds);
export const add_rb_timer = (num: number, seconds: number, iterations = 0) => sig.addRbTimer(num, seconds, iterations);
/** uWSGI 2.1's add_ms_timer(signal, milliseconds): add_timer with the period in ms. */
export const add_ms_timer = (num: number, ms: number) => sig.addTimer(num, ms / 1000);
/** add_cron(signal, minute, hour, day, month, weekday): -1 any, -N every N. */
export const add_cron = (num: number, minute: number, hour: number, day: number, month: number, weekday: number) => sig.addCron(num, minute, hour, day, month, weekday);
export const add_file_monitor = (num: number, path: string) => sig.addFileMonitor(num, path);

/** register_rpc(name, fn). */
export const register_rpc = (name: string, fn: (...a: any[]) => unknown) => rpcApi.registerRpc(name, fn);
/** rpc(node, name, ...args): node "" or null calls locally. */
export const rpc = (node: string | null, name: string, ...args: unknown[]) => (node ? rpcApi.rpc(node, name, ...args) : rpcApi.rpcCall(name, ...args));
/** call(name, ...args): a local (this instance) RPC call. */
export const call = (name: string, ...args: unknown[]) => rpcApi.rpcCall(name, ...args);
export const rpc_list = () => rpcApi.rpcList();
export const set_user_harakiri = (seconds: number) => life.setUserHarakiri(seconds);

// ------------------------------------------------------ shared services

export const lock = (n = 0) => shared.lock(n);
export const unlock = (n = 0) => shared.unlock(n);
export const is_locked = (n = 0) => shared.isLocked(n);
/** cache_get(key[, cache_name]): bytes or null. */
export const cache_get = (key: string, cache?: string) => shared.cacheGet(key, cache);
/** cache_set(key, value[, expires, cache_name]): false if the key exists and is not expired. */
export const cache_set = (key: string, value: string | Uint8Array, expires?: number, cache?: string) => shared.cacheSet(key, value, expires, cache);
/** cache_update(key, value[, expires, cache_name]): always writes. */
export const cache_update = (key: string, value: string | Uint8Array, expires?: number, cache?: string) => shared.cacheUpdate(key, value, expires, cache);
export const cache_del = (key: string, cache?: string) => shared.cacheDel(key, cache);
export const cache_exists = (key: string, cache?: string) => shared.cacheExists(key, cache);
export const cache_clear = (cache?: string) => shared.cacheClear(cache);
export const cache_inc = (key: string, by = 1, expires?: number, cache?: string) => shared.cacheInc(key, by, expires, cache);
export const cache_dec = (key: string, by = 1, expires?: number, cache?: string) => shared.cacheDec(key, by, expires, cache);
export const cache_num = (key: string, cache?: string) => shared.cacheNum(key, cache);
export const cache_keys = (cache?: string) => shared.cacheKeys(cache);
export const sharedarea_read = shared.sharedareaRead;
export const sharedarea_write = shared.sharedareaWrite;
export const sharedarea_readbyte = shared.sharedareaReadByte;
export const sharedarea_writebyte = shared.sharedareaWriteByte;
export const sharedarea_readlong = shared.sharedareaReadLong;
export const sharedarea_writelong = shared.sharedareaWriteLong;
export const sharedarea_inclong = shared.sharedareaIncLong;
export const queue_push = shared.queuePush;
export const queue_pull = shared.queuePull;
export const queue_pop = shared.queuePop;
export const queue_get = shared.queueGet;
export const queue_set = shared.queueSet;
export const queue_last = shared.queueLast;
export const queue_slot = shared.queueSlot;
export const queue_pull_slot = shared.queuePullSlot;

// -------------------------------------------------------------- spooler

export const SPOOL_OK = sp.SPOOL_OK;
export const SPOOL_RETRY = sp.SPOOL_RETRY;
export const SPOOL_IGNORE = sp.SPOOL_IGNORE;
/** send_to_spooler(dict, { spooler, priority, at, body }): resolves with the task id once durable. */
export const send_to_spooler = (dict: Record<string, unknown>, o: sp.SpoolOptions = {}) => sp.sendToSpooler(dict, o);
/** spool(dict): the same call under its other name. */
export const spool = send_to_spooler;
export const set_spooler_frequency = (s: number) => sp.setSpoolerFrequency(s);
export const spooler_jobs = () => sp.spoolerJobs();
export const spooler_pid = () => sp.spoolerPid();
export const spooler_get_task = (path: string) => sp.spoolerGetTask(path);
export const i_am_the_spooler = () => sp.iAmTheSpooler();

// ------------------------------------------------------------- instance

/** workers(): the workers' stats dicts (id, pid, requests, status, ...). */
export async function workers(): Promise<any[]> {
  return (await channel("uwsgi.workers()").request("stats")).workers;
}
/** total_requests(): requests served by all workers so far. */
export async function total_requests(): Promise<number> {
  return (await workers()).reduce((a, w) => a + (w.requests ?? 0), 0);
}
/** reload(): graceful reload of the whole instance. */
export const reload = () => channel("uwsgi.reload()").request("reload");
/** stop(): graceful stop of the whole instance. */
export const stop = () => channel("uwsgi.stop()").request("stop");
/** embedded_data(name): the bytes of a file compiled into the binary. */
export const embedded_data = (name: string) => p.embeddedData(name);
/** log(msg): one line in the instance's log. */
export const log = (msg: string) => p.log(msg);

/**
 * The default export mirrors Python's module: values for started_on,
 * numproc, buffer_size and opt (read when accessed), functions for the rest.
 */
const uwsgi = {
  lock, unlock, is_locked, cache_get, cache_set, cache_update, cache_del, cache_exists, cache_clear, cache_inc, cache_dec, cache_num, cache_keys,
  sharedarea_read, sharedarea_write, sharedarea_readbyte, sharedarea_writebyte, sharedarea_readlong, sharedarea_writelong, sharedarea_inclong,
  queue_push, queue_pull, queue_pop, queue_get, queue_set, queue_last, queue_slot, queue_pull_slot,
  workers, total_requests, reload, stop, log, embedded_data,
  SPOOL_OK, SPOOL_RETRY, SPOOL_IGNORE, send_to_spooler, spool, set_spooler_frequency, spooler_jobs, spooler_pid, spooler_get_task, i_am_the_spooler,
  /** uwsgi.spooler = fn: the handler of raw send_to_spooler tasks. */
  set spooler(fn: (args: Record<string, unknown>) => unknown) { sp.setSpoolerHandler(fn); },
  register_rpc, rpc, call, rpc_list, set_user_harakiri, register_signal, signal, signal_wait, signal_received, signal_registered,
  add_timer, add_rb_timer, add_ms_timer, add_cron, add_file_monitor, mule_msg, mule_get_msg, farm_msg, farm_get_msg, in_farm, worker_id, mule_id, masterpid,
  get started_on() { return p.startedOn(); },
  get numproc() { return p.numproc(); },
  get buffer_size() { return p.bufferSize(); },
  get opt() { return p.opt(); },
};
export default uwsgi;
