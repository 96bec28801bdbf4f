// Middleware chain around the app handler (plugins' onRequest, harakiri).
type Handler = (req: Request) => Response | Promise<Response>;
type Hook = (req: Request, next: Handler) => Response | Promise<Response>;

class RequestHooks {
  private hooks: Hook[] = [];
  add(h: Hook) { this.hooks.push(h); }
  run(req: Request, app: Handler): Response | Promise<Response> {
    if (!this.hooks.length) return app(req);
    const call = (i: number, r: Request): Response | Promise<Response> =>
      i < this.hooks.length ? this.hooks[i](r, (rr) => call(i + 1, rr)) : app(r);
    return call(0, req);
  }
}

export const requestHooks = new RequestHooks();
