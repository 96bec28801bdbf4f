import type { Config } from "../core/config.ts";
import { OPTIONS } from "./options.ts";
export declare function parseCommandLine(argv: string[], env?: Record<string, string | undefined>): Config;
/** `:8080`, `127.0.0.1:8080`, `[::1]:8080`, `localhost:0`. */
export declare function parseAddr(option: string, v: string): {
    host: string;
    port: number;
};
export { OPTIONS };
