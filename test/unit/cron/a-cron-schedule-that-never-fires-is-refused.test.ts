// "* * 31 2 *" (February 31st) was accepted and never ran: a schedule no
// date matches is refused, on the command line and through the API. A
// --cron2 key given twice is refused too (the last one silently won).
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { InvalidCron } from "../../../core/errors.ts";
import { parseCron2Line, parseCronLine } from "../../../core/cron/command-line.ts";
import { addCron } from "../../../core/api/signals.ts";

test("--cron and --cron2 schedules that never fire are InvalidCron with exit 2, naming the line", () => {
  assert.throws(() => parseCronLine("* * 31 2 * /bin/true"), (e: unknown) =>
    e instanceof InvalidCron && e.exitCode === 2 && e.message === '--cron schedule never fires (no date matches it): in "* * 31 2 * /bin/true"');
  assert.throws(() => parseCronLine("0 0 30 2 -1 /bin/true"), { message: '--cron schedule never fires (no date matches it): in "0 0 30 2 -1 /bin/true"' });
  assert.throws(() => parseCron2Line("day=31,month=4 /bin/true"), { message: '--cron2 schedule never fires (no date matches it): in "day=31,month=4 /bin/true"' });
  parseCronLine("0 0 29 2 * /bin/true"); // leap days exist
});

test("add_cron with a date that never comes is InvalidCron at registration", () => {
  assert.throws(() => addCron(17, "0 0 31 2 *"), { code: "InvalidCron", message: "cron schedule never fires (no date matches it)" });
  assert.throws(() => addCron(17, 0, 0, 31, 11, -1), { code: "InvalidCron" });
});

test("a --cron2 key given twice is a UsageError naming it", () => {
  assert.throws(() => parseCron2Line("minute=1,minute=2 /bin/true"), { code: "UsageError", message: '--cron2 key "minute" is given twice: in "minute=1,minute=2 /bin/true"' });
  assert.throws(() => parseCron2Line("week=1,weekday=2 /bin/true"), { message: '--cron2 key "weekday" is given twice: in "week=1,weekday=2 /bin/true"' });
});
