export declare const Kind: {
    readonly Hello: 1;
    readonly Init: 2;
    readonly Ready: 3;
    readonly Stats: 4;
    readonly Shutdown: 5;
    readonly Log: 6;
    readonly Request: 10;
    readonly Reply: 11;
    readonly MuleSend: 20;
    readonly MuleSendAck: 21;
    readonly MuleDeliver: 22;
    readonly MuleCredit: 23;
    readonly MuleReject: 24;
    readonly SignalRaise: 30;
    readonly SignalDeliver: 31;
    readonly SignalAck: 32;
    readonly SignalDone: 33;
    readonly SpoolWake: 40;
    readonly Bench: 90;
};
export type KindName = keyof typeof Kind;
export type KindValue = (typeof Kind)[KindName];
export type Role = "master" | "worker" | "mule" | "spooler" | "bench" | "control";
/** What a child says first, so the master knows which slot it fills. */
export interface Hello {
    role: Role;
    id: number;
    pid: number;
    token: string;
}
