/**
 * The rest of seed 004's `uwsgi` module: uWSGI's meaning where mulefarm has
 * one (get_option/set_option, request_id, setprocname, ready, mem, ...), an
 * adapted one stated in each comment, and for what has no meaning here (SNMP,
 * Erlang, the uwsgi protocol's sockets, request internals) a function that
 * throws NotSupported saying why and what to use instead.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { NotSupported, UsageError, refused } from "../errors.ts";
import { channel, ctx } from "../runtime/context.ts";
import { setStat } from "../runtime/stats-push.ts";

const index = (what: string, i: unknown): number => {
  if (!Number.isInteger(i)) throw new UsageError(refused(`${what} index must be an integer`, i));
  return i as number;
};

/** get_option(i): option slot i (0..255, masked as uWSGI does), shared by every process of the instance; 0 until set. */
export async function get_option(i: number): Promise<number> {
  const at = index("get_option", i);
  return channel("uwsgi.get_option()").request<number>("option.get", { index: at });
}
/** set_option(i, value): stores value (as uint32) in slot i for every process; resolves with value, as uWSGI returns it. */
export async function set_option(i: number, value: number): Promise<number> {
  const at = index("set_option", i);
  if (!Number.isInteger(value)) throw new UsageError(refused("set_option value must be an integer", value));
  await channel("uwsgi.set_option()").request("option.set", { index: at, value: value >>> 0 });
  return value;
}
export const getoption = get_option;
export const setoption = set_option;

/**
 * request_id(): the number of the request this worker is serving, counted
 * from 1 since the worker started (uWSGI: the worker's request counter). A
 * worker serves requests concurrently: read it first thing in the handler. 0 outside workers.
 */
export function request_id(): number {
  return ctx.role === "worker" ? Number(ctx.counters.requests ?? 0) : 0;
}

/** setprocname(name): the name `ps`/`top` show for this process (the kernel keeps its first 15 bytes). */
export function setprocname(name: string): void {
  if (typeof name !== "string" || !name) throw new UsageError(refused("setprocname needs a non-empty string", name));
  try { process.title = name; } catch { /* read-only on some runtimes */ }
  // Bun sets only its own value; the kernel's name is written here on every runtime.
  try { writeFileSync("/proc/self/comm", name.slice(0, 15)); } catch { /* not Linux */ }
}

/** ready(): true once every process of the instance has started and said it is ready (uWSGI's ushared->ready); it stays true. */
export async function ready(): Promise<boolean> {
  return channel("uwsgi.ready()").request<boolean>("instance.ready");
}

/** accepting(flag = true): this worker's `accepting` in the stats (uWSGI's flag); mulefarm's workers accept all the time, it only reports. */
export function accepting(flag = true): void {
  if (ctx.role === "worker") setStat("accepting", flag ? 1 : 0);
}
/** listen_queue(): 0, a constant: the runtime's HTTP server does not show its listen backlog (as `listen_queue` in the stats). */
export const listen_queue = (_id = 0): number => 0;
/** mem(): [rss, vsz] of this process in bytes, as uWSGI returns them. */
export function mem(): [number, number] {
  let rss = 0, vsz = 0;
  try {
    const s = readFileSync("/proc/self/status", "utf8");
    rss = Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0) * 1024;
    vsz = Number(/VmSize:\s+(\d+)/.exec(s)?.[1] ?? 0) * 1024;
  } catch { /* not Linux */ }
  return [rss, vsz];
}
/** logsize(): bytes in the --logto file (0 without one), as uWSGI's counter of logged bytes. */
export function logsize(): number {
  const f = ctx.config?.logto;
  if (!f) return 0;
  try { return statSync(f).size; } catch { return 0; }
}
/** extract(path): the bytes of a file (uWSGI also takes its virtual paths; here only files). */
export const extract = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
/** async_sleep(s): a promise resolved after s seconds (every mulefarm process is an event loop). */
export const async_sleep = (seconds: number): Promise<void> => new Promise((r) => setTimeout(r, seconds * 1000));
/** suspend(): lets the event loop run other work, then resumes (uWSGI switches to another async core). */
export const suspend = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
/** green_schedule(): as suspend(). */
export const green_schedule = suspend;
/** sorry_i_need_to_block(): a hint in uWSGI's async mode; nothing to do here (returns true). */
export const sorry_i_need_to_block = (): boolean => true;

// Module globals of uWSGI with a value here.
/** applist: the apps this instance serves (the --module spec). */
export const applist = (): string[] => (ctx.config?.module ? [ctx.config.module] : []);
/** applications: mountpoint → app, here only "" (mulefarm serves one app per instance). */
export const applications = (): Record<string, string> => (ctx.config?.module ? { "": ctx.config.module } : {});
/** fastfuncs: uWSGI's removed FastFuncs table: always empty. */
export const fastfuncs = (): unknown[] => [];
/** magic_table: uWSGI's %-placeholders of the running config; the ini's placeholders are expanded at parse, so empty. */
export const magic_table = (): Record<string, string> => ({});
/** message_manager_marshal: no marshalled-message callable exists here: null. */
export const message_manager_marshal = (): null => null;

// ------------------------------------------------ no meaning in mulefarm

const unsupported = (name: string, why: string) => (..._args: unknown[]): never => {
  throw new NotSupported(`uwsgi.${name} is not supported: ${why}`);
};
const SNMP = "mulefarm has no SNMP agent (use the Prometheus /metrics of --stats-http)";
const ERLANG = "mulefarm has no Erlang bridge";
const CLUSTER = "uWSGI's multicast cluster is gone since 2.0 (use --rpc between instances, or a Redis store)";
const PROTO = "mulefarm does not speak the uwsgi protocol (use fetch, node:net or rpc())";
const REQUEST = "a handler gets a standard Request and returns a Response (use their fields and headers)";

export const snmp_set_community = unsupported("snmp_set_community", SNMP);
export const snmp_set_counter32 = unsupported("snmp_set_counter32", SNMP);
export const snmp_set_counter64 = unsupported("snmp_set_counter64", SNMP);
export const snmp_set_gauge = unsupported("snmp_set_gauge", SNMP);
export const snmp_incr_counter32 = unsupported("snmp_incr_counter32", SNMP);
export const snmp_incr_counter64 = unsupported("snmp_incr_counter64", SNMP);
export const snmp_incr_gauge = unsupported("snmp_incr_gauge", SNMP);
export const snmp_decr_counter32 = unsupported("snmp_decr_counter32", SNMP);
export const snmp_decr_counter64 = unsupported("snmp_decr_counter64", SNMP);
export const snmp_decr_gauge = unsupported("snmp_decr_gauge", SNMP);
export const erlang_send_message = unsupported("erlang_send_message", ERLANG);
export const erlang_register_process = unsupported("erlang_register_process", ERLANG);
export const erlang_recv_message = unsupported("erlang_recv_message", ERLANG);
export const erlang_connect = unsupported("erlang_connect", ERLANG);
export const erlang_rpc = unsupported("erlang_rpc", ERLANG);
export const cluster = unsupported("cluster", CLUSTER);
export const cluster_nodes = unsupported("cluster_nodes", CLUSTER);
export const cluster_node_name = unsupported("cluster_node_name", CLUSTER);
export const cluster_best_node = unsupported("cluster_best_node", CLUSTER);
export const send_multicast_message = unsupported("send_multicast_message", CLUSTER);
export const send_message = unsupported("send_message", PROTO);
export const send_multi_message = unsupported("send_multi_message", PROTO);
export const route = unsupported("route", PROTO);
export const connect = unsupported("connect", PROTO);
export const connection_fd = unsupported("connection_fd", PROTO);
export const is_connected = unsupported("is_connected", PROTO);
export const send = unsupported("send", PROTO);
export const recv = unsupported("recv", PROTO);
export const recv_block = unsupported("recv_block", PROTO);
export const recv_frame = unsupported("recv_frame", PROTO);
export const close = unsupported("close", PROTO);
export const fcgi = unsupported("fcgi", PROTO);
export const parsefile = unsupported("parsefile", PROTO);
export const async_connect = unsupported("async_connect", PROTO);
export const async_send_message = unsupported("async_send_message", PROTO);
export const wait_fd_read = unsupported("wait_fd_read", "file descriptors are not exposed (await the stream or socket instead)");
export const wait_fd_write = unsupported("wait_fd_write", "file descriptors are not exposed (await the stream or socket instead)");
export const cl = unsupported("cl", REQUEST);
export const disconnect = unsupported("disconnect", REQUEST);
export const sendfile = unsupported("sendfile", REQUEST);
export const log_this_request = unsupported("log_this_request", `${REQUEST}; --log-requests logs every request`);
export const set_logvar = unsupported("set_logvar", REQUEST);
export const get_logvar = unsupported("get_logvar", REQUEST);
export const grunt = unsupported("grunt", "there are no grunt processes (spool() or offload the work to a mule)");
export const has_hook = unsupported("has_hook", "there are no modifier1 request hooks (use a --plugin onRequest hook)");
export const add_probe = unsupported("add_probe", "uWSGI removed probes (use add_timer with a handler that checks)");
export const set_warning_message = unsupported("set_warning_message", "there is no warning slot (use log())");
