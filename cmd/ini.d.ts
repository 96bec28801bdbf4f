export interface IniLine {
    key: string;
    value: string;
    where: string;
}
/** Reads FILE and returns its section's key/value lines, expanded. */
export declare function readIni(file: string, env?: Record<string, string | undefined>): IniLine[];
export declare function parseIni(text: string, file: string, env?: Record<string, string | undefined>): IniLine[];
