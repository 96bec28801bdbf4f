// Errors of the Redis store. Classes with a code, as core/errors.ts's; kept
// here so that nothing about Redis is part of the core's error list.
import { MulefarmError, UsageError } from "../../errors.ts";
import type { RedisAddress } from "../../redis/url.ts";

/** Redis cannot be reached (at start: the instance exits 1 with this line; later: spool() rejects with it). */
export class RedisUnavailable extends MulefarmError {
  static override code = "RedisUnavailable";
}

/** The Redis does not fsync what it accepts and --spooler-sync none was not given: exit 2. */
export class RedisNotDurable extends UsageError {
  static override code = "RedisNotDurable";
}

/** The URL as shown in messages: without a password. */
export function shownUrl(addr: RedisAddress): string {
  return addr.url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
}
