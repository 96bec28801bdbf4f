/**
 * The values of uWSGI's signal options: `--timer`/`--rbtimer "SIG SECONDS"`,
 * `--fs-signal`/`--touch-signal "PATH SIG"`. A bad value is a UsageError
 * naming the option and the value (exit 2).
 *
 * @example
 * sigSeconds("timer", "17 0.5");           // { num: 17, seconds: 0.5 }
 * pathSig("fs-signal", "/srv/my dir 30");  // { path: "/srv/my dir", num: 30 }
 */
import { UsageError } from "../errors.ts";
import { MAX_SECONDS } from "../config.ts";

const SIG = /^\d{1,3}$/;

export function sigSeconds(option: string, text: string): { num: number; seconds: number } {
  const [a, b, ...rest] = text.trim().split(/\s+/);
  const num = Number(a), seconds = Number(b);
  if (!SIG.test(a ?? "") || num > 255 || !(seconds > 0) || !Number.isFinite(seconds) || rest.length) {
    throw new UsageError(`--${option} must be "SIG SECONDS" with SIG 0..255 and SECONDS > 0: got "${text}"`);
  }
  if (seconds > MAX_SECONDS) throw new UsageError(`--${option} SECONDS must be at most ${MAX_SECONDS} (24 days): got "${text}"`);
  return { num, seconds };
}

/** "PATH SIG": the number is the last word, so a path may hold spaces. */
export function pathSig(option: string, text: string): { path: string; num: number } {
  const m = /^(.+?)\s+(\d{1,3})$/.exec(text.trim());
  if (!m || Number(m[2]) > 255) throw new UsageError(`--${option} must be "PATH SIG" with SIG 0..255: got "${text}"`);
  return { path: m[1], num: Number(m[2]) };
}
