// CLOCK_MONOTONIC nanoseconds, comparable across processes.
//
// Under Bun (1.4.5 measured here) process.hrtime.bigint() counts from the
// process's own start, so two processes' readings cannot be compared (Python's
// time.monotonic_ns() and Node's hrtime read ~uptime; Bun's read a few ms in a
// fresh process). monoNs() calls libc's clock_gettime(CLOCK_MONOTONIC) through
// bun:ffi (~140 ns a call). Hot loops take hrNs() (~50 ns, process-local) and
// convert with toMono() shortly afterwards: the offset is re-read at each call.
import { dlopen, FFIType, ptr } from "bun:ffi";

const CLOCK_MONOTONIC = 1;
const libc = dlopen("libc.so.6", { clock_gettime: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 } });
const ts = new BigInt64Array(2);
const tsPtr = ptr(ts);

/** CLOCK_MONOTONIC in ns (the same clock as Python's time.monotonic_ns()). */
export function monoNs(): number {
  libc.symbols.clock_gettime(CLOCK_MONOTONIC, tsPtr);
  return Number(ts[0]) * 1e9 + Number(ts[1]);
}

/** Process-local high-resolution ns (cheap); convert with toMono(). */
export const hrNs = (): number => Number(process.hrtime.bigint());

/** Converts hrNs() readings to CLOCK_MONOTONIC, with the offset read now. */
export function toMono(hr: number): number {
  const a = hrNs(), m = monoNs(), b = hrNs();
  return hr + (m - (a + b) / 2);
}
