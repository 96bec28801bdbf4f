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

const uwsgi = { mule_msg, mule_get_msg, farm_msg, farm_get_msg, in_farm, worker_id, mule_id, masterpid, opt, started_on, numproc, buffer_size };
export default uwsgi;
