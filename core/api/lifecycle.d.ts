import { harakiri, setUserHarakiri } from "../harakiri/child.ts";
export { harakiri, setUserHarakiri };
/** @internal called by the roles once postfork hooks ran. */
export declare function markPostforkDone(): void;
/** Runs `fn` in every child after it is spawned (and respawned). Registered late, it runs at once. */
export declare function postfork<F extends () => unknown>(fn: F): F;
/**
 * `thread(fn)`: calling the result starts fn in the background of this
 * process and returns at once. It is an async task on the process's event
 * loop (not an OS thread): no `enable-threads` switch is needed, and
 * CPU-bound work should go to a mule instead.
 */
export declare function thread<F extends (...args: any[]) => unknown>(fn: F): (...args: Parameters<F>) => void;
