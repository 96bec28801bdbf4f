// Offloaded functions (mulefunc): every process registers the same functions
// under the same keys (name + order of registration), a caller sends the key
// and the arguments as a MuleFunc message (send.ts), and the mule that takes
// it (receive.ts) runs the function it registered under that key.
import { pack, unpack } from "msgpackr/pack";
import { oneLine } from "../errors.ts";
import { log } from "../log.ts";
import { ctx } from "../runtime/context.ts";
import { sendMessage } from "./send.ts";
import { Payload } from "./wire.ts";
import { tracing } from "../trace/state.ts";

const funcs = new Map<string, (...args: any[]) => unknown>();
const nameCount = new Map<string, number>();

/** Registers fn under a key every process derives the same way (name + order). */
export function registerMuleFunc(fn: (...args: any[]) => unknown, name?: string): string {
  const base = name ?? (fn.name || "anonymous");
  const n = nameCount.get(base) ?? 0;
  nameCount.set(base, n + 1);
  const key = n ? `${base}#${n}` : base;
  funcs.set(key, fn);
  return key;
}

export function callMuleFunc(to: number | string | undefined, key: string, args: unknown[]): Promise<void> {
  return sendMessage(to, pack(tracing ? [key, args, tracing.mulefuncCall(to, key)] : [key, args]), Payload.MuleFunc);
}

/** Runs one offloaded call in this mule; never rejects (a failure is a log line). */
export async function runMuleFunc(payload: Uint8Array): Promise<void> {
  try {
    const [key, args, tp] = unpack(payload) as [string, unknown[], string?];
    const fn = funcs.get(key);
    if (!fn) log(`mulefunc "${key}" is not registered in mule ${ctx.id}: load its module with --import`);
    else await (tracing ? tracing.mulefuncRun(key, tp, () => fn(...args)) : fn(...args));
  } catch (e) {
    log(`mulefunc failed: ${oneLine(e)}`);
  }
}
