// The stats server's HTTP side (--stats-http): the live page for browsers,
// the JSON document for everything else at GET /, /metrics for Prometheus,
// the page's assets, its event stream, and its spooler actions. Reading
// needs nothing; every action is a POST carrying the instance's control
// token (the one `mulefarm reload --stats` proves ownership with), else 403.
import type { Socket } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { nodeCrypto } from "../base/lazy-builtins.ts";
import { log } from "../log.ts";
import { prometheusText } from "../master/metrics.ts";
import { asset } from "./assets.ts";
import { type Req, readRequest, send } from "./http.ts";
import { failedTasks, purgeFailed, retryFailed, taskDetail, taskJson } from "./spool-actions.ts";
import { LiveStream } from "./stream.ts";

export interface DashboardHost {
  doc(): Record<string, any>;
  memKb(pid: number): { rss: number; pss: number | null };
  /** An engine request of the master (as `mulefarm mule parked|resend` sends them), undefined when none answers `op`. */
  request?(op: string, args: unknown): unknown;
}

/** The header an action carries the token in (a custom header: a cross-site form cannot send it). */
export const TOKEN_HEADER = "x-mulefarm-token";

// Only the page's own files: no inline script or style, no other origin, not framed.
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const SECURITY = { "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY" };
const JSON_TYPE = "application/json";
const PROM_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const ACTIONS = /^\/api\/(?:spoolers\/(\d+)\/(retry|purge)|(reload)|(parked\/resend))$/;

export class Dashboard {
  private stream: LiveStream;
  private controlToken = "";

  constructor(private host: DashboardHost) {
    this.stream = new LiveStream(host);
  }

  /** Serves one connection of the stats server. */
  serve(sock: Socket): void {
    readRequest(sock, (req) => {
      this.route(sock, req).catch((e) => send(sock, 500, SECURITY, `${e?.message ?? e}\n`));
    });
  }

  private async route(sock: Socket, req: Req): Promise<void> {
    const { method, path } = req;
    const head = method === "HEAD";
    const action = ACTIONS.exec(path);
    if (action) {
      if (method !== "POST") return send(sock, 405, { ...SECURITY, Allow: "POST" }, "actions are POST only\n", head);
      if (!this.authorized(req)) return send(sock, 403, SECURITY, `an action needs the instance's control token in ${TOKEN_HEADER}\n`);
      if (action[3]) return this.reload(sock);
      if (action[4]) return this.resend(sock, req);
      return this.act(sock, Number(action[1]), action[2], req);
    }
    if (method !== "GET" && !head) {
      const known = path === "/" || path === "/metrics" || path === "/events" || path.startsWith("/assets/") || path.startsWith("/api/");
      return send(sock, known ? 405 : 404, known ? { ...SECURITY, Allow: "GET, HEAD" } : SECURITY, known ? "method not allowed\n" : "not found\n");
    }
    if (path === "/") {
      if (wantsHtml(req)) return this.file(sock, req, "index.html", { "Content-Security-Policy": CSP });
      return send(sock, 200, { "Content-Type": JSON_TYPE }, JSON.stringify(this.host.doc()), head);
    }
    if (path === "/metrics") return send(sock, 200, { "Content-Type": PROM_TYPE }, prometheusText(this.host.doc()), head);
    if (path === "/events") {
      if (head) return send(sock, 200, { "Content-Type": "text/event-stream; charset=utf-8" }, "", true);
      return this.stream.open(sock, SECURITY);
    }
    if (path.startsWith("/assets/")) return this.file(sock, req, path.slice(8), {});
    if (path === "/api/parked") {
      // Poison messages and signals set aside, as `mulefarm mule parked` lists them.
      const body = { mules: await this.host.request?.("mule.parked", {}) ?? null, signals: await this.host.request?.("signal.parked", {}) ?? null };
      return send(sock, 200, { ...SECURITY, "Content-Type": JSON_TYPE }, taskJson(body), head);
    }
    const failed = /^\/api\/spoolers\/(\d+)\/failed$/.exec(path);
    if (failed) {
      const dir = this.dirOf(Number(failed[1]));
      if (!dir) return send(sock, 404, SECURITY, "no such spooler\n", head);
      return send(sock, 200, { ...SECURITY, "Content-Type": JSON_TYPE }, taskJson(await failedTasks(dir, log)), head);
    }
    const task = /^\/api\/spoolers\/(\d+)\/tasks\/([A-Za-z0-9_.-]+)$/.exec(path);
    if (task) {
      const dir = this.dirOf(Number(task[1]));
      const t = dir ? await taskDetail(dir, task[2], log) : null;
      if (!t) return send(sock, 404, SECURITY, "no such task\n", head);
      return send(sock, 200, { ...SECURITY, "Content-Type": JSON_TYPE }, taskJson(t), head);
    }
    return send(sock, 404, SECURITY, "not found\n", head);
  }

  private async act(sock: Socket, index: number, what: string, req: Req): Promise<void> {
    const dir = this.dirOf(index);
    if (!dir) return send(sock, 404, SECURITY, "no such spooler\n");
    let n: number;
    if (what === "purge") {
      n = await purgeFailed(dir, log);
      log(`dashboard: purged ${n} failed task(s) of ${dir}`);
    } else {
      let id: unknown;
      try { id = JSON.parse(new TextDecoder().decode(req.body) || "{}").id; } catch { /* below */ }
      if (typeof id !== "string" || !/^(all|[A-Za-z0-9_.-]+)$/.test(id)) return send(sock, 400, SECURITY, 'retry needs a JSON body {"id": TASK_ID or "all"}\n');
      n = await retryFailed(dir, id, log);
      log(`dashboard: ${n} failed task(s) of ${dir} queued again (${id})`);
    }
    return send(sock, 200, { ...SECURITY, "Content-Type": JSON_TYPE }, JSON.stringify({ ok: n }));
  }

  /** The control token, read once from the runtime dir (where the master wrote it, 0600, for its owner's tools). */
  private token(): string {
    if (!this.controlToken) {
      try { this.controlToken = readFileSync(join(String(this.host.doc().runtime_dir), "control.token"), "utf8").trim(); } catch { /* none: every action is refused */ }
    }
    return this.controlToken;
  }

  /** A graceful reload, as `kill -HUP` of the master or `mulefarm reload --stats` (the master's own SIGHUP handler runs it). */
  private reload(sock: Socket): void {
    log("dashboard: graceful reload requested");
    send(sock, 200, { ...SECURITY, "Content-Type": JSON_TYPE }, JSON.stringify({ ok: true }));
    setTimeout(() => process.kill(process.pid, "SIGHUP"), 0);
  }

  /** Parked messages and signals routed again (`mulefarm mule resend`): body {"ids": [N, ...]} or {"ids": "all"}. */
  private async resend(sock: Socket, req: Req): Promise<void> {
    let ids: unknown;
    try { ids = JSON.parse(new TextDecoder().decode(req.body) || "{}").ids; } catch { /* below */ }
    if (ids !== "all" && !(Array.isArray(ids) && ids.length && ids.every((x) => Number.isSafeInteger(x) && x > 0))) {
      return send(sock, 400, SECURITY, 'resend needs a JSON body {"ids": [ID, ...] or "all"}\n');
    }
    const want = { ids: ids === "all" ? [] : ids };
    const n = Number(await this.host.request?.("mule.resend", want) ?? 0) + Number(await this.host.request?.("signal.resend", want) ?? 0);
    log(`dashboard: ${n} parked message(s) sent again`);
    return send(sock, 200, { ...SECURITY, "Content-Type": JSON_TYPE }, JSON.stringify({ ok: n }));
  }

  private authorized(req: Req): boolean {
    const got = req.headers[TOKEN_HEADER];
    const want = this.token();
    if (!got || !want) return false;
    const a = Buffer.from(got), b = Buffer.from(want);
    return a.length === b.length && nodeCrypto().timingSafeEqual(a, b);
  }

  private dirOf(index: number): string | null {
    return (this.host.doc().spoolers as Array<{ dir: string }> | undefined)?.[index]?.dir ?? null;
  }

  private async file(sock: Socket, req: Req, name: string, extra: Record<string, string>): Promise<void> {
    const a = await asset(name);
    if (!a) return send(sock, 404, SECURITY, "not found\n", req.method === "HEAD");
    const gz = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
    const headers: Record<string, string> = { ...SECURITY, ...extra, "Content-Type": a.type, "Cache-Control": "no-cache", Vary: "Accept-Encoding" };
    if (gz) headers["Content-Encoding"] = "gzip";
    send(sock, 200, headers, gz ? a.gzip : a.raw, req.method === "HEAD");
  }

  close(): void {
    this.stream.close();
  }
}

/** A browser asks for HTML first; curl (`*\/*`), fetch, `mulefarm status` and Prometheus do not, and get the JSON. */
export function wantsHtml(req: Req): boolean {
  return /\btext\/html\b/.test(req.headers.accept ?? "");
}
