import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { isRedisUrl, parseRedisUrl } from "../../../core/redis/url.ts";
import { shownUrl } from "../../../core/redis/client.ts";

test("Redis URLs name host, port, db, credentials, TLS and a #NAME; malformed ones are usage errors naming the option", () => {
  const a = parseRedisUrl("redis://127.0.0.1:6390/2#jobs");
  assert.deepEqual({ ...a }, { url: "redis://127.0.0.1:6390/2", host: "127.0.0.1", port: 6390, username: undefined, password: undefined, db: 2, tls: false, name: "jobs" });
  const b = parseRedisUrl("rediss://u:p%40ss@cache.example:7000");
  assert.equal(b.tls, true);
  assert.equal(b.port, 7000);
  assert.equal(b.db, 0);
  assert.equal(b.password, "p@ss");
  assert.equal(shownUrl(b), "rediss://u:***@cache.example:7000/0");
  assert.equal(parseRedisUrl("redis://[::1]").host, "::1");
  assert.equal(parseRedisUrl("redis://h").port, 6379);
  assert.ok(isRedisUrl("REDIS://x") && isRedisUrl("rediss://x") && !isRedisUrl("/var/spool"));
  for (const [bad, rule] of [
    ["http://h:1", "must start with redis:// or rediss://"],
    ["redis://h:1/x", "must name a database by number after the host"],
    ["redis://h:1/16", "must name a database from 0 to 15"],
    ["redis://h:1/0#a b", "must name its spool with letters"],
  ]) {
    assert.throws(() => parseRedisUrl(bad, "--redis"), (e: any) => e.code === "UsageError" && e.exitCode === 2 && e.message.startsWith(`--redis ${rule}`) && e.message.endsWith(`: got ${JSON.stringify(bad)}`));
  }
});
