import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort } from "../../redis-lib.ts";
import { checkRedis } from "../../../core/redis/client.ts";
import { parseRedisUrl } from "../../../core/redis/url.ts";
import { RedisUnreachable } from "../../../core/errors.ts";

test("an unreachable Redis at start is one line naming the option, the URL (password masked) and the reason, exit 1", async () => {
  const port = await freePort();
  await assert.rejects(checkRedis(parseRedisUrl(`redis://u:secret@127.0.0.1:${port}/2`), "--redis"), (e: unknown) => {
    assert.ok(e instanceof RedisUnreachable);
    const m = (e as Error).message;
    assert.equal(m, `--redis redis://u:***@127.0.0.1:${port}/2 must be reachable at start: got connect ECONNREFUSED 127.0.0.1:${port}`);
    assert.equal((e as RedisUnreachable).exitCode, 1);
    return true;
  });
});
