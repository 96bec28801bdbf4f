export type SpoolMode = "spool" | "forever" | "raw";
export interface SpoolFn {
    name: string;
    fn: (...args: any[]) => unknown;
    mode: SpoolMode;
    passArguments: boolean;
}
/** Registers fn under its name (a second function with the same name gets "name#1", ...). */
export declare function registerSpoolFn(fn: (...args: any[]) => unknown, mode: SpoolMode, passArguments: boolean, name?: string): SpoolFn;
export declare function spoolFn(name: string): SpoolFn | undefined;
/** The uwsgi.spooler callback of the compat API: runs tasks sent with send_to_spooler(). */
export declare const RAW_HANDLER = "uwsgi.spooler";
