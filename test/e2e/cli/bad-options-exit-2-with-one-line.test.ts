import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, run, tmp } from "../lib.ts";

const oneLine = (s: string) => s.trim().split("\n").length === 1;

test("an unknown option exits 2 with one line naming it", async () => {
  const r = await run(["--foo"]);
  assert.equal(r.code, 2);
  assert.equal(r.output.trim(), "mulefarm: unknown option --foo");
});

test("--processes x exits 2 naming the option and the value", async () => {
  const r = await run(["--http", ":0", "--module", "examples/hello.ts", "--processes", "x"]);
  assert.equal(r.code, 2);
  assert.ok(oneLine(r.output), r.output);
  assert.match(r.output, /--processes must be a positive integer: got "x"/);
});

test("--background-nice 25 exits 2 naming the range and the value", async () => {
  const r = await run(["--mules", "1", "--background-nice", "25"]);
  assert.equal(r.code, 2);
  assert.ok(oneLine(r.output), r.output);
  assert.match(r.output, /--background-nice must be 0\.\.19: got 25/);
});

test("--cron with hour 24 or an unknown zone exits 2 naming the field, the value and the line", async () => {
  const r = await run(["--cron", "0 24 -1 -1 -1 true"]);
  assert.equal(r.code, 2);
  assert.ok(oneLine(r.output), r.output);
  assert.equal(r.output.trim(), 'mulefarm: --cron field "hour" out of range: 24, in "0 24 -1 -1 -1 true"');
  const z = await run(["--cron", "CRON_TZ=Mars/Olympus 0 2 * * * true"]);
  assert.equal(z.code, 2);
  assert.ok(oneLine(z.output), z.output);
  assert.match(z.output, /unknown time zone: "Mars\/Olympus"/);
});

test("bad --rbtimer, --fs-signal, --fs-reload, --cron2 and --logto values, and uWSGI's --socket and --uid, exit 2 naming the option and the value", async () => {
  for (const [args, re] of [
    [["--mules", "1", "--rbtimer", "17"], /--rbtimer must be "SIG SECONDS" with SIG 0\.\.255 and SECONDS > 0: got "17"/],
    [["--mules", "1", "--fs-signal", "/nope/missing 30"], /--fs-signal path does not exist: \/nope\/missing/],
    [["--mules", "1", "--fs-signal", "/tmp 300"], /--fs-signal must be "PATH SIG" with SIG 0\.\.255: got "\/tmp 300"/],
    [["--mules", "1", "--fs-reload", "/nope/missing"], /--fs-reload path does not exist: \/nope\/missing/],
    [["--cron2", "hour=24 true"], /--cron2 field "hour" out of range: 24, in "hour=24 true"/],
    [["--cron2", "color=red true"], /--cron2 unknown key "color"/],
    [["--mules", "1", "--logto", "/nope/dir/app.log"], /--logto cannot open \/nope\/dir\/app\.log: ENOENT/],
    [["--mules", "1", "--socket", ":3031"], /--socket :3031 is not supported: the uwsgi protocol is not served; use --http/],
    [["--mules", "1", "--uid", "www-data"], /--uid www-data is not supported: run mulefarm as that user/],
  ] as const) {
    const r = await run([...args]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.output}`);
    assert.ok(oneLine(r.output), r.output);
    assert.match(r.output, re);
  }
});

test("empty values, hex seconds, over-long spans, over-large counts and values left out exit 2 naming the option and the value", async () => {
  const app = ["--http", "127.0.0.1:0", "--module", "examples/hello.ts"];
  for (const [args, re] of [
    [["--spooler="], /^mulefarm: --spooler needs a value \(DIR\): got ""$/],
    [["--mules", "1", "--stats="], /^mulefarm: --stats needs a value \(ADDR\): got ""$/],
    [["--mules", "1", "--reload-mercy", "0x10"], /--reload-mercy must be a non-negative number: got "0x10"/],
    [["--mules", "1", "--harakiri", "99999999999"], /--harakiri must be at most 2147483 seconds \(24 days\): got "99999999999"/],
    [["--mules", "1", "--timer", "17 1000000000"], /--timer SECONDS must be at most 2147483 \(24 days\): got "17 1000000000"/],
    [[...app, "--processes", "100000"], /--processes must be at most 4096: got "100000"/],
    [["--mules", "9007199254740991"], /--mules 9007199254740991 makes 9007199254740991 mules: at most 65535 in all/],
    [["--mules", "1", "--locks", "1000000000"], /--locks must be at most 1000000: got "1000000000"/],
    [["--mules", "1", "--mule-msg-size", "1000000000"], /--mule-msg-size must be at most 33554432: got "1000000000"/],
    [[...app, "--processes", "--mules", "1"], /^mulefarm: --processes needs a value \(N\)$/],
  ] as const) {
    const r = await run([...args]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.output}`);
    assert.ok(oneLine(r.output), r.output);
    assert.match(r.output.trim(), re);
  }
});

test("a farm or cache named twice, a cron that never fires and a repeated cron2 key exit 2 naming them", async () => {
  for (const [args, re] of [
    [["--mules", "2", "--farm", "v:1", "--farm", "v:2"], /--farm v is given twice/],
    [["--mules", "1", "--cache2", "name=c,items=10", "--cache2", "name=c,items=10"], /--cache2 name "c" is given twice/],
    [["--cron", "* * 31 2 * true"], /--cron schedule never fires \(no date matches it\): in "\* \* 31 2 \* true"/],
    [["--cron2", "minute=1,minute=2 true"], /--cron2 key "minute" is given twice/],
  ] as const) {
    const r = await run([...args]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.output}`);
    assert.ok(oneLine(r.output), r.output);
    assert.match(r.output, re);
  }
});

test("unknown hosts, foreign addresses and an unwritable --pidfile exit 2 in the same words on every runtime", async () => {
  const dir = tmp();
  for (const [args, line] of [
    [["--http", "no-such-host.invalid:8080", "--module", "examples/hello.ts"], "mulefarm: cannot listen on no-such-host.invalid:8080: unknown host"],
    [["--http", "1.2.3.4.5:8080", "--module", "examples/hello.ts"], "mulefarm: cannot listen on 1.2.3.4.5:8080: unknown host"],
    [["--mules", "1", "--stats", "no-such-host.invalid:9191"], "mulefarm: cannot start the stats server on no-such-host.invalid:9191: unknown host"],
    [["--mules", "1", "--rpc", "8.8.8.8:9000"], "mulefarm: cannot listen for RPC on 8.8.8.8:9000: not an address of this machine"],
    [["--mules", "1", "--stats", `${dir}/no/dir/stats.sock`], `mulefarm: cannot start the stats server on ${dir}/no/dir/stats.sock: its directory does not exist`],
    [["--mules", "1", "--pidfile", `${dir}/no/dir/x.pid`], `mulefarm: --pidfile cannot write ${dir}/no/dir/x.pid: ENOENT`],
  ] as const) {
    const r = await run([...args]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.output}`);
    assert.equal(r.output.trim(), line);
  }
});

test("a missing --module file exits 2 naming the path", async () => {
  const r = await run(["--http", ":0", "--module", "nope/missing-app.ts"]);
  assert.equal(r.code, 2);
  assert.ok(oneLine(r.output), r.output);
  assert.match(r.output, /nope\/missing-app\.ts/);
});

test("a port in use exits 1 with one line naming the address", async () => {
  const port = await freePort();
  const { createServer } = await import("node:net");
  const s = createServer();
  await new Promise<void>((r) => s.listen(port, "127.0.0.1", () => r()));
  try {
    const r = await run(["--http", `127.0.0.1:${port}`, "--module", "examples/hello.ts"]);
    assert.equal(r.code, 1);
    assert.ok(oneLine(r.output), r.output);
    assert.match(r.output, new RegExp(`127\\.0\\.0\\.1:${port}.*in use`));
  } finally { s.close(); }
});

test("--help lists options by group and --version exits 0", async () => {
  const h = await run(["--help"]);
  assert.equal(h.code, 0);
  assert.match(h.output, /Mules and farms:/);
  assert.match(h.output, /--spooler DIR/);
  const v = await run(["--version"]);
  assert.equal(v.code, 0);
  assert.match(v.output, /^mulefarm \d+\.\d+\.\d+/);
});
