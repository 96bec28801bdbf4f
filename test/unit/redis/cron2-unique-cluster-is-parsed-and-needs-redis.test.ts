import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { parseCron2Line } from "../../../core/cron/command-line.ts";
import { RedisEngine } from "../../../core/redis/engine.ts";
import { parseCommandLine } from "../../../cmd/config.ts";

test("--cron2 unique=cluster is parsed (with no overlap), and refused without --redis", () => {
  const l = parseCron2Line("second=-1,unique=cluster echo tick");
  assert.equal(l.unique, "cluster");
  assert.equal(l.overlap, "skip");
  assert.equal(parseCron2Line("unique=1 echo").unique, undefined);
  assert.throws(() => parseCron2Line("unique=cluster,unique=1 echo"), /given twice/);
  const without = parseCommandLine(["--cron2", "second=-1,unique=cluster echo tick"], {});
  assert.throws(() => new RedisEngine(without), (e: any) => e.code === "UsageError" && /--cron2 unique=cluster needs --redis URL/.test(e.message));
  const withRedis = parseCommandLine(["--cron2", "second=-1,unique=cluster echo tick", "--redis", "redis://127.0.0.1:6379"], {});
  assert.equal(withRedis.redis, "redis://127.0.0.1:6379/0");
  new RedisEngine(withRedis);
});
