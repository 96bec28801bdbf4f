// How the API offloads a function to a mule: with a result (the idiomatic
// face: mulefunc, Mule#offload, Farm#offload) or fire-and-forget
// (uwsgidecorators' mulefunc, as in uWSGI). Not re-exported by `mulefarm`.
import { ctx } from "../runtime/context.ts";
import { callMuleFunc, registerMuleFunc } from "../mules/mulefunc.ts";
import { resolveTarget } from "../mules/send.ts";
import { offloadCall } from "../mules/offload-result.ts";
import { Payload } from "../mules/wire.ts";

export type Fn = (...args: any[]) => unknown;

/** The result of an offloaded fn: its resolved return value. */
export type Offloaded<F extends Fn> = (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>>;

/**
 * Wraps `fn` so calling it runs it in `to` (undefined: any mule); the call
 * returns a promise of fn's result (its error rejects it, by code and
 * message). Not awaited, it costs what a fire-and-forget send does
 * (core/mules/offload-result.ts).
 */
export function offloadTo(to: number | string | undefined, fn: Fn, name?: string): (...args: any[]) => Promise<any> {
  const key = registerMuleFunc(fn, name);
  return (...args: any[]) => offloadCall((reply) => callMuleFunc(to, key, args, reply));
}

/** uwsgidecorators' mulefunc: fire-and-forget (resolves once the message is accepted), as in uWSGI. */
export function offloadFireAndForget(to: number | string | undefined, fn: Fn, name?: string): (...args: any[]) => Promise<void> {
  const key = registerMuleFunc(fn, name);
  return (...args: any[]) => callMuleFunc(to, key, args);
}

/** mulefunc's argument forms over one way of sending (with results, or fire-and-forget). */
export function mulefuncWith(a: any, via: (to: number | string | undefined, fn: Fn) => unknown): any {
  if (typeof a === "function") return via(undefined, a);
  if (typeof a === "number" || typeof a === "string") {
    return (fn: Fn) => {
      if (ctx.config) resolveTarget(a, Payload.MuleFunc);
      return via(a, fn);
    };
  }
  throw new TypeError("mulefunc takes a function, a mule id or a farm name");
}
