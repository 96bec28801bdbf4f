/**
 * The seeds' `uwsgi` module, snake_case, for line-by-line ports.
 *
 * @example
 * import uwsgi from "mulefarm/uwsgi";
 * uwsgi.mule_msg("ciuchino", 1);
 */
import * as p from "./process.ts";

export const worker_id = p.workerId;
export const mule_id = p.muleId;
export const masterpid = p.masterPid;
export const opt = () => p.opt();
export const started_on = () => p.startedOn();
export const numproc = () => p.numproc();
export const buffer_size = () => p.bufferSize();

const uwsgi = { worker_id, mule_id, masterpid, opt, started_on, numproc, buffer_size };
export default uwsgi;
