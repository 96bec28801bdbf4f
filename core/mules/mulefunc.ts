// Offloaded functions (mulefunc): every process registers the same functions
// under the same keys (name + order of registration), a caller sends the key
// and the arguments as a MuleFunc message (send.ts), and the mule that takes
// it (receive.ts) runs the function it registered under that key.
import { pack, unpack } from "msgpackr/pack";
import { MuleNotFound, oneLine } from "../errors.ts";
import { log } from "../log.ts";
import { ctx } from "../runtime/context.ts";
import { sendMessage } from "./send.ts";
import { Payload } from "./wire.ts";
import { type ReplyTo, sendReply } from "./offload-result.ts";
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

/**
 * `reply`: where to send the result (offload-result.ts), when the caller awaits it.
 * The body is [key, args, reply?, traceparent?]: both tails only when used.
 */
export function callMuleFunc(to: number | string | undefined, key: string, args: unknown[], reply?: ReplyTo): Promise<void> {
  const body = tracing ? [key, args, reply ?? null, tracing.mulefuncCall(to, key)] : reply ? [key, args, reply] : [key, args];
  return sendMessage(to, pack(body), Payload.MuleFunc);
}

/** Runs one offloaded call in this mule; never rejects (a failure is a log line, and the caller's error when it awaits). */
export async function runMuleFunc(payload: Uint8Array): Promise<void> {
  let reply: ReplyTo | undefined;
  try {
    const [key, args, r, tp] = unpack(payload) as [string, unknown[], ReplyTo | null | undefined, string?];
    reply = r ?? undefined;
    const fn = funcs.get(key);
    if (!fn) {
      const why = `mulefunc "${key}" is not registered in mule ${ctx.id}: load its module with --import`;
      log(why);
      if (reply) sendReply(reply, false, new MuleNotFound(why));
    } else {
      const v = await (tracing ? tracing.mulefuncRun(key, tp, () => fn(...args)) : fn(...args));
      if (reply) sendReply(reply, true, v);
    }
  } catch (e) {
    log(`mulefunc failed: ${oneLine(e)}`);
    if (reply) sendReply(reply, false, e);
  }
}
