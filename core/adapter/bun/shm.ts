// Bun backend of core/shm (see ../shm.ts): Bun.mmap maps a file MAP_SHARED (`shared: true`).
// Bun caps one mapping at 4 GiB (a longer one throws "RangeError: Out of
// memory"), so callers split larger regions into segments (see index.ts).
// The mapping is unmapped when the returned array is garbage-collected: keep
// a reference for as long as the memory is used.

/** Maps `size` bytes of `path` from the page-aligned `offset`, MAP_SHARED. */
export function mapFile(path: string, offset: number, size: number): Uint8Array {
  const Bun = (globalThis as any).Bun;
  const u8: Uint8Array = Bun.mmap(path, { shared: true, offset, size });
  if (u8.byteLength < size) {
    throw new RangeError(`mmap of ${path} returned ${u8.byteLength} bytes, wanted ${size}`);
  }
  return u8.byteLength === size ? u8 : u8.subarray(0, size);
}

/** Largest single mapping this runtime can wrap in one Uint8Array. */
export const MAX_MAPPING_BYTES = 2 ** 32;
