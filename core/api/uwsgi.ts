/**
 * The seeds' `uwsgi` module, snake_case, for line-by-line ports.
 *
 * @example
 * import uwsgi from "mulefarm/uwsgi";
 * uwsgi.mule_msg("ciuchino", 1);
 */
import * as p from "./process.ts";
import { Farm, inFarm } from "./mules.ts";
import { getMessage, sendMessage, type Message } from "../mules/child.ts";
import * as sig from "./signals.ts";
import * as rpcApi from "./rpc.ts";
import * as life from "./lifecycle.ts";

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
export const signal = (num: number) => sig.raiseSignal(num);
export const signal_wait = (num?: number) => sig.signalWait(num);
export const signal_received = () => sig.signalReceived();
export const signal_registered = (num: number) => sig.signalRegistered(num);
export const add_timer = (num: number, seconds: number) => sig.addTimer(num, seconds);
export const add_rb_timer = (num: number, seconds: number, iterations = 0) => sig.addRbTimer(num, seconds, iterations);
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

const uwsgi = { register_rpc, rpc, call, rpc_list, set_user_harakiri, register_signal, signal, signal_wait, signal_received, signal_registered, add_timer, add_rb_timer, add_cron, add_file_monitor, mule_msg, mule_get_msg, farm_msg, farm_get_msg, in_farm, worker_id, mule_id, masterpid, opt, started_on, numproc, buffer_size };
export default uwsgi;
