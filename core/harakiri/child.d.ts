/** Arms a deadline of `seconds` for the work named `label`; 0 or less clears it. */
export declare function armHarakiri(seconds: number | undefined, label: string): void;
/** Arms an absolute deadline (epoch ms). */
export declare function armDeadline(deadlineMs: number, label: string): void;
export declare function clearHarakiri(): void;
/**
 * uWSGI's set_user_harakiri: this process is killed if still running after
 * `seconds`; 0 clears.
 */
export declare function setUserHarakiri(seconds: number): void;
/** `harakiri(10)(fn)`: fn must finish within 10 s or the process is killed. */
export declare function harakiri(seconds: number): <F extends (...a: any[]) => any>(fn: F) => F;
