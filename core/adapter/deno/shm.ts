// Deno backend of core/shm (see ../shm.ts): libc open/ftruncate-free mmap through Deno.dlopen
// (needs --allow-ffi, i.e. `deno run -A`), wrapped with
// Deno.UnsafePointerView.getArrayBuffer. Atomics work on views of it; the
// buffer is not a SharedArrayBuffer, so Atomics.wait does not.
// The mapping lives until the process exits (no finalizer unmaps it).

const D = (globalThis as any).Deno;

const PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1;
const O_RDWR = 2;
const MAP_FAILED = -1n;

let libc: any;
function lib() {
  libc ??= D.dlopen("libc.so.6", {
    open: { parameters: ["buffer", "i32", "u32"], result: "i32" },
    close: { parameters: ["i32"], result: "i32" },
    mmap: { parameters: ["pointer", "usize", "i32", "i32", "i32", "i64"], result: "pointer" },
    __errno_location: { parameters: [], result: "pointer" },
  });
  return libc.symbols;
}

function errno(): number {
  const p = lib().__errno_location();
  return p ? new D.UnsafePointerView(p).getInt32() : 0;
}

/** Maps `size` bytes of `path` from the page-aligned `offset`, MAP_SHARED. */
export function mapFile(path: string, offset: number, size: number): Uint8Array {
  const c = lib();
  const fd = c.open(new TextEncoder().encode(path + "\0"), O_RDWR, 0);
  if (fd < 0) throw new Error(`open ${path} failed: errno ${errno()}`);
  try {
    const p = c.mmap(null, BigInt(size), PROT_READ | PROT_WRITE, MAP_SHARED, fd, BigInt(offset));
    if (p === null || BigInt(D.UnsafePointer.value(p)) === MAP_FAILED) {
      throw new Error(`mmap of ${path} (${size} bytes at ${offset}) failed: errno ${errno()}`);
    }
    return new Uint8Array(D.UnsafePointerView.getArrayBuffer(p, size));
  } finally {
    c.close(fd); // the mapping keeps the file referenced
  }
}

/** V8 wraps mappings far larger than any region mulefarm creates. */
export const MAX_MAPPING_BYTES = 2 ** 40;
