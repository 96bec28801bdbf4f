/**
 * Process lifecycle helpers: postfork, thread, harakiri.
 *
 * @example
 * import { postfork, thread, harakiri } from "mulefarm";
 * postfork(() => db.connect());                  // in every child, after (re)spawn
 * const poll = thread(async () => { for (;;) await tick(); }); poll();
 * const slow = harakiri(10)(async () => work());  // killed if it runs over 10 s
 */
import { oneLine } from "../errors.ts";
import { log } from "../log.ts";
import { ctx, postforkHooks } from "../runtime/context.ts";
import { harakiri, setUserHarakiri } from "../harakiri/child.ts";
import { postforkDone } from "../child/lifecycle.ts";

export { harakiri, setUserHarakiri };

/** Runs `fn` in every child after it is spawned (and respawned). Registered late, it runs at once. */
export function postfork<F extends () => unknown>(fn: F): F {
  if (postforkDone() && ctx.role !== "none") {
    Promise.resolve().then(fn).catch((e) => log(`postfork hook failed: ${oneLine(e)}`));
  } else postforkHooks.push(fn);
  return fn;
}

/**
 * `thread(fn)`: calling the result starts fn in the background of this
 * process and returns at once. It is an async task on the process's event
 * loop (not an OS thread): no `enable-threads` switch is needed, and
 * CPU-bound work should go to a mule instead.
 */
export function thread<F extends (...args: any[]) => unknown>(fn: F): (...args: Parameters<F>) => void {
  return (...args) => {
    setTimeout(() => {
      Promise.resolve().then(() => fn(...args)).catch((e) => log(`thread ${fn.name || "anonymous"} failed: ${oneLine(e)}`));
    }, 0);
  };
}
