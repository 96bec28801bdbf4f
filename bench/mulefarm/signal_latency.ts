// Workload 2: signal_latency (see ../shared/bench/WORKLOADS.md).
// A worker raises signal 17 (target mule1, a signal-only mule: --mules 1) N
// times one at a time; the handler in the mule acknowledges each by a UDP
// datagram; the worker times raise -> ack. Case burst raises N back to back.
import { caseFn, envInt, freePort, median, percentile, requireCaps, round, runCases, Server, skipIfUnavailable, withServer, type Case } from "./lib.ts";

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
if (process.env.BENCH_SIGNAL_EXTRA !== "0") cases.push(burstCase("burst_awaited", "awaited"));
await runCases("signal_latency", cases, envInt("BENCH_DEADLINE_S", 60), { n: N });
