// An HTTP worker: loads the app (--module), serves the shared port with
// reusePort, counts requests, turns a throwing handler into a 500 and a log
// line, and on stop finishes in-flight requests before exiting.
import { adapter } from "../adapter/index.ts";
import { ExportNotFound, UsageError, oneLine, refused } from "../errors.ts";
import type { Channel } from "../ipc/channel.ts";
import { Kind } from "../ipc/types.ts";
import { log } from "../log.ts";
import { loadNative } from "../child/load.ts";
import { resolveSpec } from "../spec.ts";
import { ctx, shutdownHooks } from "../runtime/context.ts";
import { runPostfork } from "../child/lifecycle.ts";
import { bump, observe } from "../runtime/stats-push.ts";
import { recycle, recycleAfter, recycleOverRss } from "../runtime/recycle.ts";
import { requestHooks } from "../runtime/request-hooks.ts";
import { armDeadline, clearHarakiri } from "../harakiri/child.ts";
import { loadPlugins } from "../../plugins/host.ts";
import { childHost } from "../child/plugin-host.ts";
import { tracing } from "../trace/state.ts";

type Handler = (req: Request) => Response | Promise<Response>;

export async function runWorker(channel: Channel): Promise<void> {
  const cfg = ctx.config!;
  if (!cfg.module) throw new UsageError("--http needs --module SPEC (the app to serve)");
  const handler = await loadApp(cfg.module);
  await installPluginMiddleware();
  await runPostfork();
  let draining = false;
  const logRequests = cfg.logRequests;

  // --harakiri: the scoreboard always shows the oldest request in flight.
  const hk = (cfg.harakiri ?? 0) * 1000;
  const inflight = new Set<{ at: number; label: string }>();
  const arm = () => {
    let oldest: { at: number; label: string } | undefined;
    for (const r of inflight) if (!oldest || r.at < oldest.at) oldest = r;
    if (oldest) armDeadline(oldest.at + hk, oldest.label); else clearHarakiri();
  };

  // --reload-on-rss MB, --max-worker-lifetime S (+ id·delta, so workers do not all go at once).
  recycleOverRss(cfg.reloadOnRss, "reload-on-rss");
  if (cfg.maxWorkerLifetime) recycleAfter(cfg.maxWorkerLifetime + (ctx.id - 1) * (cfg.maxWorkerLifetimeDelta ?? 0), "max-worker-lifetime");

  // --max-requests: recycle this worker (graceful stop, the master respawns it).
  let served = 0;
  const maxRequests = cfg.maxRequests ?? 0;
  const fetch = async (req: Request): Promise<Response> => {
    bump("requests");
    bump("in_request"); // uWSGI's busy status and in_request (stats)
    if (maxRequests && ++served === maxRequests) {
      setTimeout(() => recycle(`served ${maxRequests} requests (--max-requests)`), 0);
    }
    const started = performance.now();
    let res: Response;
    const rec = hk ? { at: Date.now(), label: `${req.method} ${new URL(req.url).pathname}` } : null;
    if (rec) { inflight.add(rec); if (inflight.size === 1) arm(); }
    try {
      res = await requestHooks.run(req, handler);
    } catch (e) {
      bump("exceptions");
      log(`error in ${req.method} ${new URL(req.url).pathname}: ${oneLine(e)}`);
      res = new Response("Internal Server Error\n", { status: 500, headers: { "content-type": "text/plain" } });
    } finally {
      bump("in_request", -1);
      if (rec) { inflight.delete(rec); arm(); }
    }
    // While draining, tell keep-alive clients to reconnect (to a fresh worker).
    if (draining) {
      try { res.headers.set("connection", "close"); } catch { /* immutable headers */ }
    }
    const took = performance.now() - started;
    observe("request_seconds", took / 1000);
    if (logRequests) log(`${req.method} ${new URL(req.url).pathname} => ${res.status} in ${took.toFixed(1)} ms`);
    return res;
  };

  const server = await adapter.serve({ host: cfg.http!.host, port: cfg.http!.port, reusePort: true, fetch: tracing ? tracing.http(fetch) : fetch });
  shutdownHooks.push(async () => {
    draining = true;
    // Keep answering briefly with "Connection: close" so keep-alive clients move on, then stop.
    await new Promise((r) => setTimeout(r, 300));
    await server.stop(false);
  });
  channel.send(Kind.Ready);
}

async function loadApp(specText: string): Promise<Handler> {
  const spec = resolveSpec(specText, process.cwd(), "--module");
  const { module, target } = await loadNative(spec);
  const app = spec.export !== undefined ? target : module.default;
  if (typeof app === "function") return app as Handler;
  if (app && typeof (app as any).fetch === "function") return (req) => (app as any).fetch(req);
  const what = spec.export !== undefined ? `export "${spec.export}"` : "default export";
  throw new ExportNotFound(refused(`${spec.file}: the ${what} must be a function (req) => Response or an object with fetch(req)`, app));
}

/** Plugins with an onRequest hook answer a request or pass it on to the app. */
async function installPluginMiddleware() {
  const plugins = await loadPlugins(ctx.config!, ["onRequest"], childHost());
  for (const p of plugins) {
    requestHooks.add(async (req, next) => {
      let r: { status: number; headers: Record<string, string>; body: string | Uint8Array } | undefined;
      try {
        r = await p.call("onRequest", { method: req.method, url: req.url, headers: Object.fromEntries(req.headers) });
      } catch (e) {
        // A plugin that throws or exceeds its limits is reported; the worker lives.
        log(`[plugin ${p.manifest.name}] onRequest failed: ${(e as any)?.code ?? (e as any)?.name ?? "Error"}: ${oneLine((e as any)?.message ?? e)}`);
        return new Response(`plugin ${p.manifest.name} failed\n`, { status: 500, headers: { "content-type": "text/plain" } });
      }
      if (r === undefined || r === null) return next(req);
      return new Response(r.body as BodyInit, { status: r.status, headers: r.headers });
    });
  }
}
