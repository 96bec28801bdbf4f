// One test API for both runtimes: `bun test` and `deno test` run the same files.
// Bun's runner is used under Bun, Deno.test under Deno (with the sanitizers off,
// because e2e tests start real processes and sockets that outlive a tick).
const D = (globalThis as any).Deno;

type Fn = () => unknown | Promise<unknown>;

export const isDeno = typeof D !== "undefined";
export const isBun = typeof (globalThis as any).Bun !== "undefined";

let bunTest: any;
if (!isDeno) bunTest = await import("bun:test");

/** Run (and forgotten) when the current test ends, passed or not: temp dirs a test made. */
export const afterThisTest: Array<() => void> = [];

function cleaned(fn: Fn): Fn {
  return async () => {
    try {
      await fn();
    } finally {
      for (const c of afterThisTest.splice(0)) try { c(); } catch { /* best effort */ }
    }
  };
}

/** Registers a test; `timeoutMs` bounds it on both runtimes. */
export function test(name: string, body: Fn, timeoutMs = 30_000): void {
  const fn = cleaned(body);
  if (isDeno) {
    D.test({
      name,
      sanitizeOps: false,
      sanitizeResources: false,
      sanitizeExit: false,
      fn: () => withTimeout(fn, timeoutMs, name),
    });
  } else {
    bunTest.test(name, fn, timeoutMs);
  }
}

async function withTimeout(fn: Fn, ms: number, name: string) {
  let t: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(fn),
      new Promise((_, rej) => { t = setTimeout(() => rej(new Error(`test "${name}" timed out after ${ms} ms`)), ms); }),
    ]);
  } finally { clearTimeout(t); }
}
