// uwsgi.signal(17, "nope") and rpc("nope", ...) said "--rpc must be
// HOST:PORT", naming an option the caller never gave.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { RpcUnreachable } from "../../../core/errors.ts";
import { rpcRemote } from "../../../core/rpc/child.ts";

test("a remote address that is not HOST:PORT is RpcUnreachable naming the address", async () => {
  await assert.rejects(rpcRemote("nope", "f", []), (e: unknown) =>
    e instanceof RpcUnreachable && e.message === 'remote address must be HOST:PORT (another instance\'s --rpc): got "nope"');
  await assert.rejects(rpcRemote("host:port", "f", []), { code: "RpcUnreachable" });
});
