// How the API offloads a function to a mule: with a result (the idiomatic
// face: mulefunc, Mule#offload, Farm#offload) or fire-and-forget
// (uwsgidecorators' mulefunc, as in uWSGI). Not re-exported by `mulefarm`.
import { callMuleFunc, registerMuleFunc } from "../mules/mulefunc.ts";
import { offloadCall } from "../mules/offload-result.ts";

export type Fn = (...args: any[]) => unknown;

/**
 * Where an offloaded call goes (undefined: any mule). A function is asked at
 * each call: registration happens in every process, in the same order,
 * whatever mules and farms it has, so the target is checked only when used
 * (uwsgiconf's Mule(id)/Farm(name) only name one).
 */
type Target = number | string | undefined | (() => number | string);

/** The result of an offloaded fn: its resolved return value. */
export type Offloaded<F extends Fn> = (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>>;

/**
 * Wraps `fn` so calling it runs it in `to` (undefined: any mule); the call
 * returns a promise of fn's result (its error rejects it, by code and
 * message). Not awaited, it costs what a fire-and-forget send does
 * (core/mules/offload-result.ts).
 */
export function offloadTo(to: Target, fn: Fn, name?: string): (...args: any[]) => Promise<any> {
  const key = registerMuleFunc(fn, name);
  return (...args: any[]) => offloadCall((reply) => callMuleFunc(typeof to === "function" ? to() : to, key, args, reply));
}

/** uwsgidecorators' mulefunc: fire-and-forget (resolves once the message is accepted), as in uWSGI. */
export function offloadFireAndForget(to: Target, fn: Fn, name?: string): (...args: any[]) => Promise<void> {
  const key = registerMuleFunc(fn, name);
  return (...args: any[]) => callMuleFunc(typeof to === "function" ? to() : to, key, args);
}

/** mulefunc's argument forms over one way of sending (with results, or fire-and-forget). */
export function mulefuncWith(a: any, via: (to: number | string | undefined, fn: Fn) => unknown): any {
  if (typeof a === "function") return via(undefined, a);
  if (typeof a === "number" || typeof a === "string") {
    // Checked at each call, as Mule/Farm offloads: the module loads where the target is absent.
    return (fn: Fn) => via(a, fn);
  }
  throw new TypeError("mulefunc takes a function, a mule id or a farm name");
}
