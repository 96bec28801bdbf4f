// The task-control suite (results, cancel, pause, progress, events, rate,
// batches) against the Redis store: each test gets its own redis-server.
import { runControlConformance } from "./task-control.conformance.ts";
import { startRedis } from "../../redis-lib.ts";

runControlConformance("redis store", {
  async fresh() {
    const server = await startRedis({ appendfsync: "always" });
    return {
      address: `${server.url}#ctl`,
      async writeGarbage() {},
      async cleanup() { await server.stop(); },
    };
  },
});
