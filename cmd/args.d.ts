import { type OptionDef } from "./options.ts";
export interface Entry {
    def: OptionDef;
    value: string;
    from: string;
}
export declare function parseArgv(argv: string[]): Entry[];
/** Accepts the ini/cli spellings of a boolean. */
export declare function boolText(def: OptionDef, v: string): string;
