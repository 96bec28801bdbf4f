export type Kind = "flag" | "value" | "optional";
export type Type = "string" | "int" | "posint" | "number" | "addr" | "bool" | "size";
export interface OptionDef {
    name: string;
    kind: Kind;
    type: Type;
    group: string;
    help: string;
    multiple?: boolean;
    aliases?: string[];
    short?: string;
    default?: string | number | boolean;
    arg?: string;
}
export declare const OPTIONS: OptionDef[];
export declare function findOption(name: string): OptionDef | undefined;
export declare function findShort(ch: string): OptionDef | undefined;
export declare const GROUPS: Record<string, string>;
