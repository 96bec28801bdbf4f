/** Maps `size` bytes of `path` from the page-aligned `offset`, MAP_SHARED. */
export declare function mapFile(path: string, offset: number, size: number): Uint8Array;
/** V8 wraps mappings far larger than any region mulefarm creates. */
export declare const MAX_MAPPING_BYTES: number;
