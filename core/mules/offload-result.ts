/**
 * The result of an offloaded call (mulefunc / Mule#offload / Farm#offload):
 * the call returns a promise of fn's return value, or of its thrown error
 * (rebuilt by code, message kept). The reply travels back as an RPC call from
 * the mule to a function this process registers once
 * (`mf.mulefunc.reply.<pid>`), so the master needs nothing new.
 *
 * A call nobody awaits costs nothing more: the message leaves a few
 * microtasks after the call, and asks for a reply only if by then someone
 * has attached to the returned promise (`await f()`, `f().then(…)`,
 * `Promise.all([f()])`). A promise left alone resolves (undefined) once the
 * message is accepted, as before; one attached to later (after an await of
 * something else) gets that undefined too, not the result.
 *
 * @example
 * const resize = mulefunc(async (w: number) => w * 2);
 * await resize(32); // 64, computed in a mule
 */
import { errorFromCode, oneLine } from "../errors.ts";
import { log } from "../log.ts";
import { registerRpc, rpcCall } from "../rpc/child.ts";

/** What a caller that awaits puts in the message: where the mule sends the result. */
export interface ReplyTo { to: string; id: number }

const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let replyName: string | null = null;
let seq = 0;
/** Microtask hops before the message leaves: enough for `await f()` / `return f()` to attach. */
const HOPS = 3;

function replyTo(): ReplyTo {
  if (!replyName) {
    replyName = `mf.mulefunc.reply.${process.pid}`;
    registerRpc(replyName, (id: number, ok: boolean, v: any) => {
      const w = waiting.get(id);
      if (!w) return false;
      waiting.delete(id);
      if (ok) w.resolve(v);
      else w.reject(errorFromCode(String(v?.code ?? "Error"), String(v?.message ?? v)));
      return true;
    });
  }
  return { to: replyName, id: ++seq };
}

/** Sends an offloaded call with `send` (given the reply address when the result is wanted); returns the result's promise. */
export function offloadCall(send: (reply?: ReplyTo) => Promise<void>): Promise<unknown> {
  let wanted = false;
  let resolve!: (v: unknown) => void, reject!: (e: Error) => void;
  const result = new Promise<unknown>((res, rej) => { resolve = res; reject = rej; });
  // send() throws at once for a bad target (FarmNotFound, MuleNotFound): that rejects the
  // result; thrown from this microtask it would kill the calling process.
  const go = () => {
    if (!wanted) {
      try { send().then(() => resolve(undefined), reject); } catch (e) { reject(e as Error); }
      return;
    }
    const r = replyTo();
    waiting.set(r.id, { resolve, reject });
    const failed = (e: unknown) => { waiting.delete(r.id); reject(e as Error); };
    try { send(r).catch(failed); } catch (e) { failed(e); }
  };
  let hops = HOPS;
  const hop = () => (--hops > 0 ? queueMicrotask(hop) : go());
  queueMicrotask(hop);
  // A thenable, not a native promise: `await` calls its then(), which is how a caller shows it wants the result.
  const handle = {
    then(a?: any, b?: any) { wanted = true; return result.then(a, b); },
    catch(b?: any) { wanted = true; return result.catch(b); },
    finally(f?: any) { wanted = true; return result.finally(f); },
    [Symbol.toStringTag]: "Promise",
  };
  return handle as unknown as Promise<unknown>;
}

/** In the mule: sends the result of an offloaded call back to its caller. */
export function sendReply(r: ReplyTo, ok: boolean, v: unknown): void {
  const body = ok ? v : { code: (v as any)?.code ?? (v as any)?.name ?? "Error", message: String((v as any)?.message ?? v) };
  rpcCall(r.to, [r.id, ok, body]).catch((e) => log(`mulefunc: the result could not be sent back to its caller: ${oneLine(e)}`));
}
