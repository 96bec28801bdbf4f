/**
 * The seeds' `uwsgidecorators`, as wrapper functions (TypeScript has no
 * decorators on plain functions): `const f = spool(fn)` for `@spool def f`.
 *
 * @example
 * import { timer } from "mulefarm/uwsgidecorators";
 * timer(3)(() => console.log("3 seconds elapsed"));
 */
export { mulefunc } from "./mules.ts";
export { spool, spoolforever, spoolraw } from "./spool.ts";
export { signal, timer, rbtimer, cron, filemon } from "./signals.ts";
export { postfork, thread, harakiri } from "./lifecycle.ts";
/** `rpc("name")(fn)`: uwsgidecorators' @rpc. */
export declare function rpc(name: string): <F extends (...a: any[]) => unknown>(fn: F) => F;
/** `lock(fn)`: uwsgidecorators' @lock: fn runs under lock 0. */
export declare function lock<F extends (...a: any[]) => unknown>(fn: F): (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>>;
