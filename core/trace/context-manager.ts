// The active span follows async work (a request handler's awaits, a task's
// run) through AsyncLocalStorage, which both runtimes provide as
// node:async_hooks. @opentelemetry/context-async-hooks does the same for
// Node; this is its few lines that matter, without another dependency.
import { AsyncLocalStorage } from "node:async_hooks";
import { ROOT_CONTEXT, type Context, type ContextManager } from "@opentelemetry/api";

export class AlsContextManager implements ContextManager {
  private als = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.als.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.als.run(context, () => fn.apply(thisArg, args));
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== "function") return target; // event emitters are not bound: no span site needs it
    const self = this;
    return function (this: unknown, ...args: unknown[]) {
      return self.with(context, () => (target as any).apply(this, args));
    } as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.als.disable();
    return this;
  }
}
