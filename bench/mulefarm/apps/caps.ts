// Feature detection for engines that may not be built yet: the apps import
// the API modules as namespaces (a missing named export would be a load
// error) and report what they lack at GET /caps, so that a driver can say
// "not available" instead of hanging.
import * as mf from "mulefarm";
import uwsgiDefault, * as uwsgiNs from "mulefarm/uwsgi";
import * as deco from "mulefarm/uwsgidecorators";

export const uwsgi: any = { ...(uwsgiNs as any), ...((uwsgiDefault as any) ?? {}) };
export const api: any = mf;
export const decorators: any = deco;

/** The first function found under any of `names` (idiomatic name first, then uWSGI's). */
export function pick(names: string[]): ((...a: any[]) => any) | null {
  for (const n of names) {
    for (const src of [api, uwsgi, decorators]) if (typeof src[n] === "function") return src[n].bind(src);
  }
  return null;
}

export function capsResponse(need: Record<string, unknown>): Response {
  const missing = Object.entries(need).filter(([, v]) => !v).map(([k]) => k);
  return Response.json({ missing });
}

/** Awaits only what is a promise (a sync API then costs no microtask). */
export async function settle<T>(v: T | Promise<T>): Promise<T> {
  return v instanceof Promise ? await v : v;
}
