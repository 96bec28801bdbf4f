/**
 * Guest-side JavaScript evaluated in every sandbox context before the plugin
 * or mule script. It builds the guest API (console, log, signal, mule, cache,
 * spool, fetch, fs, env, TextEncoder/TextDecoder, Headers/Response and, for
 * light mules, Mule) on top of ONE host function, `__mf_call(op, encodedArgs)`,
 * and returns the internal entry points the host calls (dispatch, watch,
 * deliver, signal). Capability checks are all on the host side: nothing in
 * here is trusted.
 *
 * Values cross the boundary as a JSON string, or `[json, [ArrayBuffer…]]` when
 * binary data is inside (placeholders `{"\u0000b": index}`).
 *
 * @module
 */

/** Name of the hidden global the virtual "mulefarm" module reads. */
export const API_GLOBAL = "__mulefarm";

/** Source of the virtual module `mulefarm` (also `mulefarm/sandbox`) inside the sandbox. */
export const VIRTUAL_MODULE = `const a = globalThis.${API_GLOBAL};
export const { Mule, log, signal, mule, cache, spool, fetch, fs, env, console, TextEncoder, TextDecoder, Headers, Response, URL, URLSearchParams } = a;
export default a;
`;

export const PRELUDE = String.raw`(function () {
"use strict";
const g = globalThis;
const host = g.__mf_call;
const cfg = JSON.parse(g.__mf_cfg);
delete g.__mf_call;
delete g.__mf_cfg;
const B = "\u0000b";
const stringify = JSON.stringify, parse = JSON.parse;
const isView = ArrayBuffer.isView;
const NONE = undefined;

function toAB(x) {
  if (x instanceof ArrayBuffer) return x;
  return x.buffer.slice(x.byteOffset, x.byteOffset + x.byteLength);
}
function enc(v) {
  if (v === undefined) return undefined;
  const bufs = [];
  const json = stringify(v, function (k, x) {
    const raw = this[k];
    if (raw instanceof ArrayBuffer || isView(raw)) { bufs.push(toAB(raw)); return { [B]: bufs.length - 1 }; }
    return x;
  });
  return bufs.length ? [json, bufs] : json;
}
function dec(x) {
  if (x === undefined) return undefined;
  if (typeof x === "string") return parse(x);
  const bufs = x[1];
  return parse(x[0], function (k, v) {
    if (v !== null && typeof v === "object" && typeof v[B] === "number" && Object.keys(v).length === 1) return new Uint8Array(bufs[v[B]]);
    return v;
  });
}
function call(op, ...args) { return dec(host(op, enc(args))); }
async function callAsync(op, ...args) { return dec(await host(op, enc(args))); }

function errInfo(e) {
  if (e !== null && typeof e === "object") {
    let stack = "";
    try { stack = String(e.stack || ""); } catch (_) {}
    return { name: String(e.name || "Error"), message: String(e.message === undefined ? e : e.message), stack };
  }
  return { name: "Error", message: String(e), stack: "" };
}
function show(a) {
  if (typeof a === "string") return a;
  if (a instanceof Error) return a.name + ": " + a.message;
  if (a === undefined || typeof a === "function" || typeof a === "symbol" || typeof a === "bigint") return String(a);
  try { return stringify(a); } catch (_) { return String(a); }
}

const mk = (level) => (...a) => { host("log", enc([level, a.map(show).join(" "), true])); };
const console = { log: mk("info"), info: mk("info"), warn: mk("warn"), error: mk("error"), debug: mk("debug"), trace: mk("debug") };

class TextEncoder {
  get encoding() { return "utf-8"; }
  encode(s) { return call("utf8encode", String(s === undefined ? "" : s)); }
}
class TextDecoder {
  get encoding() { return "utf-8"; }
  decode(b) { return b === undefined ? "" : call("utf8decode", b instanceof ArrayBuffer ? new Uint8Array(b) : b); }
}
class Headers {
  constructor(init) {
    this._m = new Map();
    if (init instanceof Headers) init.forEach((v, k) => this._m.set(k, v));
    else if (Array.isArray(init)) for (const [k, v] of init) this.append(k, v);
    else if (init) for (const k of Object.keys(init)) this.append(k, init[k]);
  }
  append(k, v) { k = String(k).toLowerCase(); const o = this._m.get(k); this._m.set(k, o === undefined ? String(v) : o + ", " + v); }
  set(k, v) { this._m.set(String(k).toLowerCase(), String(v)); }
  get(k) { const v = this._m.get(String(k).toLowerCase()); return v === undefined ? null : v; }
  has(k) { return this._m.has(String(k).toLowerCase()); }
  delete(k) { this._m.delete(String(k).toLowerCase()); }
  forEach(fn) { for (const [k, v] of this._m) fn(v, k, this); }
  entries() { return this._m.entries(); }
  keys() { return this._m.keys(); }
  values() { return this._m.values(); }
  [Symbol.iterator]() { return this._m.entries(); }
  toJSON() { return [...this._m]; }
}
class Response {
  constructor(r) {
    this.status = r.status; this.statusText = r.statusText; this.url = r.url;
    this.ok = r.status >= 200 && r.status < 300; this.redirected = false;
    this.headers = new Headers(r.headers); this._body = r.body; this.bodyUsed = false;
  }
  _take() { if (this.bodyUsed) throw new TypeError("body already used"); this.bodyUsed = true; return this._body; }
  async bytes() { return this._take(); }
  async arrayBuffer() { return toAB(this._take()); }
  async text() { return call("utf8decode", this._take()); }
  async json() { return parse(await this.text()); }
}
class URLSearchParams {
  constructor(init) {
    this._l = [];
    if (typeof init === "string") {
      for (const part of (init[0] === "?" ? init.slice(1) : init).split("&")) {
        if (!part) continue;
        const i = part.indexOf("=");
        const d = (x) => { try { return decodeURIComponent(x.replace(/\+/g, " ")); } catch (_) { return x; } };
        this._l.push(i < 0 ? [d(part), ""] : [d(part.slice(0, i)), d(part.slice(i + 1))]);
      }
    } else if (Array.isArray(init)) for (const [k, v] of init) this._l.push([String(k), String(v)]);
    else if (init) for (const k of Object.keys(init)) this._l.push([k, String(init[k])]);
  }
  get(k) { const e = this._l.find((x) => x[0] === k); return e ? e[1] : null; }
  getAll(k) { return this._l.filter((x) => x[0] === k).map((x) => x[1]); }
  has(k) { return this._l.some((x) => x[0] === k); }
  append(k, v) { this._l.push([String(k), String(v)]); }
  set(k, v) { const i = this._l.findIndex((x) => x[0] === k); this.delete(k); this._l.splice(i < 0 ? this._l.length : i, 0, [String(k), String(v)]); }
  delete(k) { this._l = this._l.filter((x) => x[0] !== k); }
  forEach(fn) { for (const [k, v] of this._l) fn(v, k, this); }
  entries() { return this._l[Symbol.iterator](); }
  keys() { return this._l.map((x) => x[0])[Symbol.iterator](); }
  values() { return this._l.map((x) => x[1])[Symbol.iterator](); }
  [Symbol.iterator]() { return this.entries(); }
  get size() { return this._l.length; }
  toString() { return this._l.map(([k, v]) => encodeURIComponent(k) + "=" + encodeURIComponent(v)).join("&"); }
}
// URL parsed by the host's WHATWG parser; read-only properties.
class URL {
  constructor(url, base) {
    const u = call("urlparse", String(url), base === undefined ? undefined : String(base));
    for (const k of ["href", "origin", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash"]) this[k] = u[k];
    this.searchParams = new URLSearchParams(u.search);
  }
  toString() { return this.href; }
  toJSON() { return this.href; }
  static canParse(url, base) { try { new URL(url, base); return true; } catch (_) { return false; } }
}
function normInit(init) {
  if (!init) return {};
  const o = {};
  if (init.method !== undefined) o.method = String(init.method);
  if (init.headers !== undefined) o.headers = [...new Headers(init.headers)];
  if (init.body !== undefined && init.body !== null) {
    const b = init.body;
    o.body = typeof b === "string" ? b : b instanceof ArrayBuffer ? new Uint8Array(b) : isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : String(b);
  }
  return o;
}

const api = {
  console, TextEncoder, TextDecoder, Headers, Response, URL, URLSearchParams,
  log(msg) { call("log", "info", show(msg)); },
  signal(num) { return callAsync("signal", num); },
  mule: Object.freeze({ send(target, msg) { return callAsync("muleSend", target, msg); } }),
  cache: Object.freeze({
    get(key, opts) { return callAsync("cacheGet", String(key), opts); },
    set(key, value, opts) { return callAsync("cacheSet", String(key), value, opts); },
    update(key, value, opts) { return callAsync("cacheSet", String(key), value, Object.assign({}, opts, { update: true })); },
  }),
  spool(name, args) { return callAsync("spool", String(name), args === undefined ? {} : args); },
  async fetch(url, init) {
    if (url !== null && typeof url === "object" && typeof url.url === "string") url = url.url;
    return new Response(await callAsync("fetch", String(url), normInit(init)));
  },
  fs: Object.freeze({ readFile(path, encoding) { return callAsync("readFile", String(path), encoding); } }),
  env(name) { return call("env", String(name)); },
  Mule: undefined,
};

// ---- light mules: messages and signals
const waiters = new Map();
const sigHandlers = [];
if (cfg.mule) {
  const Mule = {
    currentId() { return cfg.id; },
    getMessage(opts) {
      const timeout = opts && typeof opts.timeout === "number" ? opts.timeout : undefined;
      const r = call("getMessage", timeout);
      if (r.w === undefined) return Promise.resolve(r.m);
      return new Promise((resolve) => { waiters.set(r.w, resolve); });
    },
    async *messages() { for (;;) yield await Mule.getMessage(); },
    send(msg) { return callAsync("muleSend", undefined, msg); },
    onSignal(fn) { if (typeof fn !== "function") throw new TypeError("Mule.onSignal needs a function"); sigHandlers.push(fn); },
  };
  api.Mule = Object.freeze(Mule);
}
Object.freeze(api);
Object.defineProperty(g, "${API_GLOBAL}", { value: api });
for (const k of ["console", "TextEncoder", "TextDecoder", "Headers", "Response", "URL", "URLSearchParams", "log", "signal", "mule", "cache", "spool", "fetch", "fs", "env"]) {
  Object.defineProperty(g, k, { value: api[k], writable: true, configurable: true, enumerable: false });
}
if (cfg.mule) Object.defineProperty(g, "Mule", { value: api.Mule, writable: true, configurable: true, enumerable: false });

// ---- entry points for the host
let ns = null;
function settle(id, ok, v) {
  let x;
  if (!ok) x = enc([id, false, errInfo(v)]);
  else { try { x = enc([id, true, v]); } catch (e) { x = enc([id, false, errInfo(e)]); } }
  host("settle", x);
}
function info(n) {
  const functions = [];
  for (const k of Object.keys(n)) if (typeof n[k] === "function") functions.push(k);
  let manifest;
  try { manifest = n.manifest === undefined ? undefined : parse(stringify(n.manifest)); } catch (e) { manifest = "<not JSON: " + e.message + ">"; }
  return { functions, manifest, hasManifest: "manifest" in n };
}
function isThenable(r) { return r !== null && (typeof r === "object" || typeof r === "function") && typeof r.then === "function"; }
function watch(id, p) {
  Promise.resolve(p).then((n) => { ns = n; settle(id, true, info(n)); }, (e) => settle(id, false, e));
}
function run(id, fn, args) {
  const r = fn.apply(undefined, args);
  if (isThenable(r)) Promise.resolve(r).then((v) => settle(id, true, v), (e) => settle(id, false, e));
  else settle(id, true, r);
}
function dispatch(id, hook, x) {
  const fn = ns === null ? undefined : ns[hook];
  if (typeof fn !== "function") throw new TypeError("the script exports no function " + hook);
  run(id, fn, dec(x));
}
function deliver(w, x) {
  const r = waiters.get(w);
  if (r) { waiters.delete(w); r(dec(x)); }
}
function signal(id, num) {
  const fns = sigHandlers.slice();
  if (ns !== null && typeof ns.onSignal === "function") fns.push(ns.onSignal);
  if (!fns.length) { settle(id, true, false); return; }
  Promise.all(fns.map((f) => f(num))).then(() => settle(id, true, true), (e) => settle(id, false, e));
}
return { dispatch, watch, deliver, signal };
})()`;
