import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { parseCron2Line } from "../../../core/cron/command-line.ts";
import { Schedule } from "../../../core/cron/index.ts";

test("--cron2 keys set uWSGI's fields, the rest are -1, and the command follows the keys", () => {
  assert.deepEqual(parseCron2Line("minute=30,hour=2 /usr/bin/backup --to 'a b'"), {
    spec: { kind: "uwsgi", minute: 30, hour: 2, day: -1, month: -1, weekday: -1 }, command: "/usr/bin/backup --to 'a b'", overlap: "skip", harakiri: undefined,
  });
  const r = parseCron2Line("minute=-5,week=7,unique=0,harakiri=60 sync");
  assert.deepEqual(r.spec, { kind: "uwsgi", minute: -5, hour: -1, day: -1, month: -1, weekday: 0 });
  assert.equal(r.overlap, "allow");
  assert.equal(r.harakiri, 60);
});

test("a --cron2 line without keys is a command that runs every minute", () => {
  const r = parseCron2Line("echo hi there");
  assert.equal(r.command, "echo hi there");
  const s = new Schedule(r.spec);
  assert.equal(s.next(new Date("2025-01-01T10:00:30Z"))!.getTime() - new Date("2025-01-01T10:00:30Z").getTime(), 30_000);
});

test("--cron2 second=N makes a second-granular schedule", () => {
  const s = new Schedule(parseCron2Line("second=-10 echo tick").spec);
  const t = new Date("2025-01-01T10:00:01Z");
  assert.equal(s.next(t)!.toISOString(), "2025-01-01T10:00:10.000Z");
});

test("bad --cron2 values are usage errors naming the key and the line", () => {
  assert.throws(() => parseCron2Line("minute=5,color=red echo"), { name: "UsageError", message: /--cron2 unknown key "color" \(known: minute, hour, day, month, week, second, weekday, unique, harakiri\): in "minute=5,color=red echo"/ });
  assert.throws(() => parseCron2Line("hour=24 echo"), { name: "InvalidCron", exitCode: 2, message: '--cron2 field "hour" out of range: 24, in "hour=24 echo"' });
  assert.throws(() => parseCron2Line("minute=5"), { name: "UsageError", message: '--cron2 has no command after its keys: got "minute=5"' });
  assert.throws(() => parseCron2Line("unique=2 echo"), { name: "UsageError", message: /unique must be 0 or 1: got 2/ });
  assert.throws(() => parseCron2Line("minute=x echo"), { name: "UsageError", message: /must be KEY=INTEGER: got "minute=x", in "minute=x echo"/ });
  assert.throws(() => parseCron2Line("legion=a,minute=1 echo"), { name: "UsageError", message: /legion/ });
});
