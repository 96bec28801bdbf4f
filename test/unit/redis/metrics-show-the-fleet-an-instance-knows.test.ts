import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { prometheusText } from "../../../core/master/metrics.ts";

test("/metrics shows the fleet an instance knows: connected, instances, their queue depths, cluster locks, signals and unique cron", () => {
  const text = prometheusText({
    version: "x", runtime: "y", started_on: 1,
    fleet: {
      connected: true,
      members: [{ id: "h1:1:a", queues: { "spooler /s": 4 } }, { id: "h2:2:b", queues: {} }],
      cluster_locks: [{ name: "l", pid: 3, token: 7, since: 1 }],
      cluster_signals: { raised: 2, received: 5 },
      unique_cron: { claimed: 3, lost: 4 },
    },
  });
  for (const line of [
    "mulefarm_fleet_connected 1",
    "mulefarm_fleet_instances 2",
    'mulefarm_fleet_queue_depth{instance="h1:1:a",queue="spooler /s"} 4',
    "mulefarm_cluster_locks_held 1",
    "mulefarm_cluster_signals_raised_total 2",
    "mulefarm_cluster_signals_received_total 5",
    "mulefarm_unique_cron_runs_total 3",
    "mulefarm_unique_cron_lost_total 4",
  ]) assert.ok(text.includes(`\n${line}\n`), `${line} in:\n${text}`);
});
