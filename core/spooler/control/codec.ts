// Results, progress values and events are msgpack (as task records are), so a
// task's Date, Uint8Array or bigint comes back as itself to whoever awaits it.
import { Packr } from "msgpackr/pack";

const packr = new Packr({ useRecords: false, useBigIntExtension: true } as any);

export function pack(v: unknown): Uint8Array {
  return packr.pack(v);
}
export function unpack<T>(b: Uint8Array): T {
  return packr.unpack(b) as T;
}
