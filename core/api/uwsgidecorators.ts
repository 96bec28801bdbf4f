/**
 * The seeds' `uwsgidecorators`, as wrapper functions (TypeScript has no
 * decorators on plain functions): `const f = spool(fn)` for `@spool def f`.
 *
 * @example
 * import { timer } from "mulefarm/uwsgidecorators";
 * timer(3)(() => console.log("3 seconds elapsed"));
 */
import { type Fn, mulefuncWith, offloadFireAndForget } from "./offload.ts";

/** uwsgidecorators' @mulefunc: calling the result sends the call to a mule and returns at once (no result, as in uWSGI). */
export function mulefunc<F extends Fn>(fn: F): (...args: Parameters<F>) => Promise<void>;
export function mulefunc(target: number | string): <F extends Fn>(fn: F) => (...args: Parameters<F>) => Promise<void>;
export function mulefunc(a: any): any {
  return mulefuncWith(a, offloadFireAndForget);
}
export { spool, spoolforever, spoolraw } from "./spool.ts";
export { signal, timer, rbtimer, cron, filemon } from "./signals.ts";
import { timer } from "./signals.ts";

/** uWSGI 2.1's `@mstimer(ms, target=...)`: `timer` with the period in milliseconds. */
export const mstimer = (ms: number, opts: { target?: string } = {}) => timer(ms / 1000, opts);
export { postfork, thread, harakiri } from "./lifecycle.ts";
import { registerRpc } from "../rpc/child.ts";

/** `rpc("name")(fn)`: uwsgidecorators' @rpc. */
export function rpc(name: string) {
  return <F extends (...a: any[]) => unknown>(fn: F): F => { registerRpc(name, fn); return fn; };
}

import { withLock } from "./shared.ts";
/** `lock(fn)`: uwsgidecorators' @lock: fn runs under lock 0. */
export function lock<F extends (...a: any[]) => unknown>(fn: F): (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>> {
  return (...args) => withLock(() => fn(...args) as any);
}

import { NotSupported } from "../errors.ts";
/** uwsgidecorators' @erlang(name): mulefarm has no Erlang bridge; NotSupported. */
export function erlang(_processName: string): (fn: (...a: any[]) => unknown) => never {
  return () => { throw new NotSupported("uwsgidecorators.erlang is not supported: mulefarm has no Erlang bridge"); };
}
