// Workload 1: mule_msg_throughput (see ../shared/bench/WORKLOADS.md).
//
// One worker (the producer, triggered by one HTTP request) sends N
// sequence-numbered messages to programmed mule 1 (`new Mule(1).send`) or to a
// farm of 2 mules (`new Farm("bench").send`); the mule(s) count what arrives.
// Prints one JSON line.
import { readFileSync } from "node:fs";
import { caseFn, envInt, readJson, round, runCases, Server, waitFor, withServer, type Case } from "./lib.ts";

const N = envInt("BENCH_MULE_N", 200_000);
// Bytes by default: uWSGI's Python producer sends bytes and its mule receives
// bytes. The *_string cases send JS strings (UTF-8 encoded by the sender and
// decoded by the mule: work uWSGI's case does not do).
const TYPE = process.env.BENCH_MULE_MSG_TYPE ?? "bytes"; // bytes | string

function mcase(name: string, size: number, opts: { target?: "mule" | "farm"; retry?: boolean; type?: string; api?: string } = {}) {
  const target = opts.target ?? "mule", retry = opts.retry ?? false, type = opts.type ?? TYPE, api = opts.api ?? "native";
  const mules = target === "farm" ? 2 : 1;
  return caseFn(name, async (): Promise<Case> => {
    const args = ["--http", "127.0.0.1:{port}", "--processes", "1", "--module", "{apps}/mule_msg_app.ts"];
    for (let i = 0; i < mules; i++) args.push("--mule={apps}/mule_msg_consumer.ts");
    if (target === "farm") args.push("--farm", "bench:1,2");
    return await withServer(new Server(`mule-${name}`, args, { BENCH_N: N }), async (u) => {
      await u.waitHttp();
      await u.waitFiles(Array.from({ length: mules }, (_, i) => `mule${i + 1}.ready`));
      const p = await u.getJson(`/produce?n=${N}&size=${size}&target=${target}&retry=${retry ? 1 : 0}&type=${type}&api=${api}`, 25);
      const tDone = p.t_end_ns;
      // each mule has been idle >= 1 s after the producer finished
      const states: any[] = await waitFor(() => {
        u.checkAlive();
        const st = Array.from({ length: mules }, (_, i) => readJson(u.path(`mule${i + 1}.json`)));
        return st.every((s) => s && s.written_ns > tDone) ? st : null;
      }, 15, "mule results", 20);
      const seen = new Uint8Array(N);
      for (let i = 1; i <= mules; i++) {
        const b = readFileSync(u.path(`mule${i}.seen`));
        for (let k = 0; k < N; k++) seen[k] = Math.min(255, seen[k] + b[k]);
      }
      let unique = 0, dups = 0;
      for (let k = 0; k < N; k++) { if (seen[k]) unique++; if (seen[k] > 1) dups += seen[k] - 1; }
      const received = states.reduce((a, s) => a + s.count, 0);
      const withMsgs = states.filter((s) => s.count);
      const first = received ? Math.min(...withMsgs.map((s) => s.first_ns)) : 0;
      const last = Math.max(...states.map((s) => s.last_ns));
      const sendS = (p.t_end_ns - p.t_start_ns) / 1e9;
      const e2eS = received ? (last - p.t_start_ns) / 1e9 : null;
      const recvS = received ? (last - first) / 1e9 : null;
      const log = u.logText();
      const queueFullLines = (log.match(/QueueFull|queue .* full/gi) ?? []).length;
      return {
        name, ok: unique === N && dups === 0,
        params: {
          n: N, size, message_type: type, api: api === "compat" ? "mulefarm/uwsgi mule_msg/farm_msg" : "new Mule(1).send / new Farm(\"bench\").send",
          target: target === "farm" ? "farm of 2 mules (Farm.send)" : "mule 1 (Mule.send)",
          producer: "worker, one GET /produce; one awaited send() per message",
          producer_retries_on_full: retry,
          ...(retry ? { note: "send() never drops: it waits (backpressure) and rejects only after --mule-send-timeout, so this case is the 32B case again" } : {}),
        },
        e2e_msgs_per_s: e2eS ? Math.round(unique / e2eS) : 0,
        consumer_msgs_per_s: recvS ? Math.round(received / recvS) : 0,
        send_calls_per_s: Math.round(N / sendS),
        delivered_unique: unique, lost: N - unique, duplicates: dups,
        send_failed: p.send_failed, send_retries: p.send_retries,
        queue_full_log_lines: queueFullLines,
        out_of_order: states.reduce((a, s) => a + s.out_of_order, 0),
        bad_messages: states.reduce((a, s) => a + s.bad, 0),
        per_mule_received: states.map((s) => s.count),
        send_s: round(sendS, 4), e2e_s: e2eS ? round(e2eS, 4) : null,
        command: u.command(),
      };
    });
  });
}

const cases = [
  mcase("32B", 32),
  mcase("4KiB", 4096),
  mcase("farm2_32B", 32, { target: "farm" }),
  mcase("32B_retry", 32, { retry: true }),
];
// Extra cases (not in the uWSGI peer): the other payload type and the compat API.
if (process.env.BENCH_MULE_EXTRA !== "0") {
  const other = TYPE === "bytes" ? "string" : "bytes";
  cases.push(mcase(`32B_${other}`, 32, { type: other }), mcase(`4KiB_${other}`, 4096, { type: other }));
  cases.push(mcase("32B_compat", 32, { api: "compat" }));
}

await runCases("mule_msg_throughput", cases, envInt("BENCH_DEADLINE_S", 100), { n: N });
