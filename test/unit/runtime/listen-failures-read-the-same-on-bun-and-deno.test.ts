// Bun and Deno fail a listen with different codes and messages (Bun gives no
// code for a host it cannot resolve, Deno says EINVAL where Bun says
// EADDRNOTAVAIL): the reason comes from the code, and an unknown host is
// found by resolving it first, so --http, --stats and --rpc read the same.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { MulefarmError, UsageError } from "../../../core/errors.ts";
import { checkListenHost, listenError, listenReason } from "../../../core/runtime/listen-errors.ts";

test("each runtime's code for a failed listen maps to one reason", () => {
  assert.equal(listenReason({ code: "EADDRINUSE", message: "Failed to listen at 127.0.0.1" }), "address already in use");
  assert.equal(listenReason({ code: "EADDRNOTAVAIL", message: "Failed to listen at 8.8.8.8" }), "not an address of this machine");
  assert.equal(listenReason({ code: "EINVAL", message: "listen EINVAL: invalid argument 8.8.8.8:80" }), "not an address of this machine");
  assert.equal(listenReason({ code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND x" }), "unknown host");
  assert.equal(listenReason({ code: "ENOENT", message: "Failed to listen at /nope/s.sock" }), "its directory does not exist");
});

test("a busy address exits 1, a wrong one 2", () => {
  const busy = listenError("cannot listen on", "127.0.0.1:80", { code: "EADDRINUSE" });
  assert.ok(busy instanceof MulefarmError && !(busy instanceof UsageError) && busy.exitCode === 1);
  assert.equal(busy.message, "cannot listen on 127.0.0.1:80: address already in use");
  const wrong = listenError("cannot listen on", "8.8.8.8:80", { code: "EADDRNOTAVAIL" });
  assert.ok(wrong instanceof UsageError && wrong.exitCode === 2);
});

test("a host name that does not resolve is named unknown before any listen; IPs and localhost pass", async () => {
  await assert.rejects(checkListenHost("cannot start the stats server on", "no-such-host.invalid", 9191),
    { code: "UsageError", message: "cannot start the stats server on no-such-host.invalid:9191: unknown host" });
  await assert.rejects(checkListenHost("cannot listen on", "1.2.3.4.5", 80), { message: "cannot listen on 1.2.3.4.5:80: unknown host" });
  await checkListenHost("cannot listen on", "8.8.8.8", 80);
  await checkListenHost("cannot listen on", "::1", 80);
  await checkListenHost("cannot listen on", "localhost", 80);
});
