/** This worker's id (1..N), 0 outside HTTP workers. @example if (workerId() === 1) warmUp(); */
export declare function workerId(): number;
/** This mule's id (1..N), 0 outside mules. */
export declare function muleId(): number;
/** The master's pid, 0 when not running under mulefarm. */
export declare function masterPid(): number;
/** The role of this process: "worker", "mule", "spooler" or "none". */
export declare function role(): string;
/** Unix time (seconds) the instance started. */
export declare function startedOn(): number;
/** Number of HTTP worker processes configured. */
export declare function numproc(): number;
/** The parsed options, uWSGI's `uwsgi.opt`. */
export declare function opt(): Record<string, string | string[] | boolean>;
/** The configured largest mule message (uWSGI's buffer_size). */
export declare function bufferSize(): number;
