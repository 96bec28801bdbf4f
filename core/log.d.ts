export declare function setLogPrefix(p: string): void;
export declare function log(msg: string): void;
/** Runtime hook: the plugin engine may add sinks (onLog). */
export declare const logSinks: Array<(line: string) => void>;
