/**
 * Guest failures as the host sees them: a thrown guest value read as
 * {name, message, stack}, which limit (if any) it means, and the error a call
 * rejects with: PluginLimitExceeded, CapabilityDenied, UsageError, or a
 * GuestError carrying the guest's own name and message.
 *
 * @module
 */
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core";
import { CapabilityDenied, PluginLimitExceeded, UsageError } from "../../core/errors.ts";
import type { Limits } from "./host-api.ts";
import type { LimitKind } from "./limit-meter.ts";

export interface GuestErrorInfo { name: string; message: string; stack: string }

/** A guest Error surfaced on the host: name and message are the guest's. */
export class GuestError extends Error {
  constructor(info: GuestErrorInfo, readonly source: string, readonly what: string) {
    super(info.message);
    this.name = info.name || "Error";
    this.stack = `${this.name}: ${info.message}\n${truncateStack(info.stack)}    at ${what} (${source}, sandbox)`;
  }
}

function truncateStack(s: string): string {
  const lines = s.split("\n").filter(Boolean);
  const keep = lines.length > 12 ? [...lines.slice(0, 10), `    ... ${lines.length - 10} more frames`] : lines;
  return keep.length ? keep.join("\n") + "\n" : "";
}

/** A thrown guest value as {name, message, stack}; null if it is not even a value. */
export function errorInfo(ctx: QuickJSContext, h: QuickJSHandle): GuestErrorInfo | null {
  let d: unknown;
  try { d = ctx.dump(h); } catch { return null; }
  if (d === null || d === undefined) return null;
  if (typeof d === "object") {
    const o = d as Record<string, unknown>;
    return { name: String(o.name ?? "Error"), message: String(o.message ?? JSON.stringify(o)), stack: String(o.stack ?? "") };
  }
  return { name: "Error", message: String(d), stack: "" };
}

/** Which limit a guest error means, if any (the interrupt flag wins). */
export function classifyLimit(info: GuestErrorInfo | null, hit: LimitKind | null): LimitKind | null {
  if (hit) return hit;
  if (!info) return "memory"; // an exception QuickJS could not even allocate
  if (info.name !== "InternalError" && info.name !== "RangeError") return null;
  if (info.message === "interrupted") return "cpu";
  if (info.message === "out of memory") return "memory";
  if (info.message === "stack overflow" || /call stack size/i.test(info.message)) return "stack";
  return null;
}

function limitMessage(label: string, l: Limits, kind: LimitKind, what: string): string {
  const lim = kind === "cpu" ? `CPU limit of ${l.cpuMsPerCall} ms` : kind === "memory" ? `memory limit of ${l.memoryBytes} bytes` : `stack limit of ${l.stackBytes} bytes`;
  return `${label} ${what} exceeded its ${lim}`;
}

/**
 * Host-side error for a failed call: PluginLimitExceeded for limits, else the
 * guest's error. `who.label` prefixes limit messages; `who.source` names the guest.
 */
export function hostError(who: { label: string; source: string; limits: Limits }, info: GuestErrorInfo | null, what: string, hit: LimitKind | null): Error {
  const kind = classifyLimit(info, hit);
  if (kind) return Object.assign(new PluginLimitExceeded(limitMessage(who.label, who.limits, kind, what)), { limit: kind });
  if (info && (info.name === "CapabilityDenied" || info.name === "UsageError")) {
    return info.name === "CapabilityDenied" ? new CapabilityDenied(info.message) : new UsageError(info.message);
  }
  return new GuestError(info ?? { name: "Error", message: "unknown error", stack: "" }, who.source, what);
}

/**
 * The error for a script that cannot even be loaded, or null for one its
 * running code threw: the loader's UsageErrors (an import that is missing or
 * not allowed) as they are; syntax errors, the transpiler's TypeScript ones
 * and QuickJS's SyntaxError for JavaScript it cannot parse (its only frame is
 * the place, not a function), as "WHO: TypeScript|JavaScript syntax error:
 * FILE:LINE:COLUMN: reason", WHO naming the plugin or light mule.
 */
export function loadFailure(e: unknown, who: string): UsageError | null {
  if (e instanceof UsageError) return /^(TypeScript|JavaScript) syntax error: /.test(e.message) ? new UsageError(`${who}: ${e.message}`) : e;
  if (!(e instanceof GuestError) || e.name !== "SyntaxError") return null;
  const at = /^[^\n]*\n\s*at (\/[^()\n]*:\d+:\d+)\n/.exec(e.stack ?? "");
  return at ? new UsageError(`${who}: JavaScript syntax error: ${at[1]}: ${e.message.split("\n")[0]}`) : null;
}
