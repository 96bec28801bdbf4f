export interface Score {
    /** Epoch ms by which the current work must end (0: none). */
    deadline: number;
    /** Epoch ms the current work started. */
    started: number;
    /** User deadline from setUserHarakiri (0: none). */
    user: number;
    label: string;
}
export declare function scorePath(runtimeDir: string, pid: number): string;
export declare class Scoreboard {
    private f64;
    private u8;
    constructor(path: string, create: boolean);
    set(deadline: number, label: string): void;
    clear(): void;
    setUser(deadline: number): void;
    read(): Score;
}
