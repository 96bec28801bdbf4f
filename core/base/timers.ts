// Timers that must not keep a process alive. Bun, Deno and Node all give
// setTimeout/setInterval an unref(), but the DOM typing of the timer id (a
// number) does not: one cast, here.

/** Lets the process exit while `t` is pending; returns `t`. */
export function unrefTimer<T>(t: T): T {
  (t as { unref?: () => unknown }).unref?.();
  return t;
}
