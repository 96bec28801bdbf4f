export declare const HEADER = 5;
export type Sink = (chunk: Uint8Array) => void;
/** Accumulates frames and hands full chunks to `sink`. */
export declare class FrameWriter {
    private sink;
    private schedule;
    private buf;
    private view;
    private len;
    private scheduled;
    constructor(sink: Sink, schedule: (fn: () => void) => void);
    /** Reserves room for a frame of `bodyLen` bytes and returns its body offset. */
    private reserve;
    /** Queues a frame whose body is `body`. */
    frame(kind: number, body?: Uint8Array): void;
    /**
     * Queues a frame built in place: `fill` writes `bodyLen` bytes at `off` of
     * `buf`. Saves the intermediate allocation on the hot path.
     */
    frameWith(kind: number, bodyLen: number, fill: (buf: Uint8Array, view: DataView, off: number) => void): void;
    private flushScheduled;
    /** Hands whatever is buffered to the sink now. */
    flush(): void;
}
export type FrameHandler = (kind: number, body: Uint8Array) => void;
/** Splits a byte stream into frames. Bodies are views: copy to keep them. */
export declare class FrameReader {
    private onFrame;
    private maxFrame;
    private pending;
    constructor(onFrame: FrameHandler, maxFrame?: number);
    push(chunk: Uint8Array): void;
}
