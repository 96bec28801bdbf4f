/** Maps `size` bytes of `path` from the page-aligned `offset`, MAP_SHARED. */
export declare function mapFile(path: string, offset: number, size: number): Uint8Array;
/** Largest single mapping this runtime can wrap in one Uint8Array. */
export declare const MAX_MAPPING_BYTES: number;
