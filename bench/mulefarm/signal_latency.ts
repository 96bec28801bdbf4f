// Workload 2: signal_latency (see ../shared/bench/WORKLOADS.md).
// A worker raises signal 17 (target mule1, a signal-only mule: --mules 1) N
// times one at a time; the handler in the mule acknowledges each by a UDP
// datagram; the worker times raise -> ack. Case burst raises N back to back.
import { caseFn, envInt, freePort, median, percentile, requireCaps, round, runCases, Server, skipIfUnavailable, withServer, type Case } from "./lib.ts";
import { UwsgiPeer, uwsgiUnavailable } from "./uwsgi_peer.ts";

const N = envInt("BENCH_SIGNAL_N", 20_000);
const WARMUP = 500;

async function start(name: string, fn: (u: Server) => Promise<Case>): Promise<Case> {
  skipIfUnavailable();
  const args = ["--http", "127.0.0.1:{port}", "--processes", "1", "--module", "{apps}/signal_app.ts", "--mules", "1"];
  return await withServer(new Server(name, args, { BENCH_ACK_PORT: await freePort() }), async (u) => {
    await u.waitHttp();
    await requireCaps(u);
    return await fn(u);
  });
}

const rtt = caseFn("rtt", () => start("signal-rtt", async (u) => {
  const r = await u.getJson(`/rtt?n=${N}&warmup=${WARMUP}`, 25);
  const lat = (r.lat_ns as number[]).map((x) => x / 1000).sort((a, b) => a - b);
  const sum = lat.reduce((a, b) => a + b, 0);
  if (process.env.BENCH_DUMP) await Bun.write(process.env.BENCH_DUMP, JSON.stringify(r.lat_ns));
  return {
    name: "rtt", ok: lat.length > 0, params: { n: N, warmup: WARMUP, target: "mule1 (signal-only mule)", ack: "UDP datagram to 127.0.0.1" },
    median_us: lat.length ? round(median(lat), 1) : null, p99_us: round(percentile(lat, 99) ?? NaN, 1),
    mean_us: lat.length ? round(sum / lat.length, 1) : null, min_us: lat[0] ?? null, max_us: lat.length ? round(lat[lat.length - 1], 1) : null,
    completed: lat.length, lost: r.lost, refused: r.refused, roundtrips_per_s: sum ? Math.round(lat.length / (sum / 1e6)) : 0,
    command: u.command(),
  };
}));

// Case rtt_interleaved: mulefarm and real uWSGI run at once (each idle while
// the other is measured) and take turns, ROUNDS rounds of N/ROUNDS
// round trips each, first one then the other, the order swapped every round;
// the samples of each side are pooled. The two separate rtt runs of
// bench/run.sh are ~30 s apart, and on this VM the p99 drifts more than that
// between two runs of the same binary; here both sides meet the same drift.
const ROUNDS = envInt("BENCH_SIGNAL_ROUNDS", 10);
const INTERLEAVED_WARMUP = 3000;
const rttInterleaved = caseFn("rtt_interleaved", async () => {
  skipIfUnavailable();
  const per = Math.ceil(N / ROUNDS);
  const u = new UwsgiPeer(["--http-socket", "127.0.0.1:{port}", "--processes", "1", "--disable-logging", "--wsgi-file", "{apps}/signal_app.py", "--mules", "1"],
    { BENCH_ACK_PORT: await freePort() });
  try {
    await u.start();
    return await start("signal-rtt-interleaved", async (m) => {
      const sides = [{ name: "mulefarm", get: (q: string) => m.getJson(q, 25), rounds: [] as number[][] }, { name: "uwsgi", get: (q: string) => u.getJson(q, 25), rounds: [] as number[][] }];
      // Steady state: both sides warm up with the same INTERLEAVED_WARMUP round trips first (a JIT needs more than CPython does).
      for (const s of sides) await s.get(`/rtt?n=${INTERLEAVED_WARMUP}&warmup=0`);
      for (let r = 0; r < ROUNDS; r++) {
        for (const s of r % 2 ? [...sides].reverse() : sides) {
          const res = await s.get(`/rtt?n=${per}&warmup=50`);
          s.rounds.push((res.lat_ns as number[]).map((x) => x / 1000).sort((a, b) => a - b));
        }
      }
      const figures = (rounds: number[][]) => {
        const all = rounds.flat().sort((a, b) => a - b);
        return { median_us: round(median(all), 1), p99_us: round(percentile(all, 99)!, 1), completed: all.length,
          round_p99_us: rounds.map((x) => round(percentile(x, 99)!, 1)) };
      };
      const mf = figures(sides[0].rounds), uw = figures(sides[1].rounds);
      return {
        name: "rtt_interleaved", ok: mf.completed > 0 && uw.completed > 0,
        params: { rounds: ROUNDS, n_per_round: per, warmup: INTERLEAVED_WARMUP, warmup_per_round: 50, order: "mulefarm then uWSGI, swapped every round; samples pooled per side", target: "mule1 (signal-only mule)" },
        ...mf, uwsgi: uw,
        rounds_mulefarm_p99_le_uwsgi: mf.round_p99_us.filter((x, i) => x <= uw.round_p99_us[i]).length,
        command: m.command(), uwsgi_command: u.command(),
      };
    });
  } finally { await u.stop(); }
});

function burstCase(name: string, mode: "pipelined" | "awaited") {
  return caseFn(name, () => start(`signal-${name}`, async (u) => {
    const r = await u.getJson(`/burst?n=${N}&mode=${mode}`, 25);
    const rep = r.report ?? { count: 0, first_ns: 0, last_ns: 0 };
    const handled = rep.count;
    const dur = handled ? (rep.last_ns - r.t_start_ns) / 1e9 : null;
    return {
      name, ok: r.report !== null && handled + r.refused === N,
      params: { n: N, target: "mule1 (signal-only mule)",
        raise_mode: mode === "pipelined" ? "N raiseSignal() calls back to back, none awaited; then every promise settled (refusals counted)"
          : "each raiseSignal() awaited (the master's routing verdict) before the next" },
      handled_per_s: dur ? Math.round(handled / dur) : 0, raise_calls_per_s: Math.round(N / ((r.t_end_ns - r.t_start_ns) / 1e9)),
      handled, lost: N - handled - r.refused, refused: r.refused,
      queue_full_log_lines: (u.logText().match(/SignalQueueFull|queue is full/gi) ?? []).length,
      command: u.command(),
    };
  }));
}

const cases = [rtt, burstCase("burst", "pipelined")];
// Only where real uWSGI can run (bench/run.sh's uWSGI side installs it; BENCH_SKIP_UWSGI=1 leaves it out).
const noUwsgi = uwsgiUnavailable();
if (process.env.BENCH_SIGNAL_INTERLEAVED !== "0" && !noUwsgi) cases.push(rttInterleaved);
else if (noUwsgi) process.stderr.write(`signal_latency: case rtt_interleaved left out: ${noUwsgi}\n`);
if (process.env.BENCH_SIGNAL_EXTRA !== "0") cases.push(burstCase("burst_awaited", "awaited"));
await runCases("signal_latency", cases, envInt("BENCH_DEADLINE_S", 90), { n: N });
