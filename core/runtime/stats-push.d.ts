export declare function bump(name: string, by?: number): void;
export declare function setStat(name: string, value: number): void;
