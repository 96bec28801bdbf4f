export declare const Target: {
    readonly Shared: 0;
    readonly Mule: 1;
    readonly Farm: 2;
};
export declare const Source: {
    readonly Own: 0;
    readonly Shared: 1;
    readonly Farm: 2;
};
export declare const Payload: {
    readonly Bytes: 0;
    readonly String: 1;
    readonly MuleFunc: 2;
};
export declare const MSG_HEADER = 4;
export declare function encodeString(s: string): Uint8Array;
export declare function decodePayload(type: number, bytes: Uint8Array): string | Uint8Array;
export declare function u32(n: number): Uint8Array;
export declare function credit(consumed: number, own: number, group: number, func: number): Uint8Array;
