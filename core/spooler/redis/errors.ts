// The Redis store's own error: the core's list has the connection errors
// (RedisUnreachable at start, RedisUnavailable later); this one is a setting.
import { UsageError } from "../../errors.ts";

/** The Redis does not fsync what it accepts and --spooler-sync none was not given: exit 2. */
export class RedisNotDurable extends UsageError {
  static override code = "RedisNotDurable";
}
