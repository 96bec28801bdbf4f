// register_signal(21, "workers", 42) was accepted, to fail in some other
// process when signal 21 first arrived. It is refused where it is called;
// a NaN signal number shows as NaN (JSON said null).
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { InvalidSignal } from "../../../core/errors.ts";
import { registerSignal } from "../../../core/api/signals.ts";
import uwsgi from "../../../core/api/uwsgi.ts";

test("a handler that is not a function is InvalidSignal naming the number and the value", () => {
  assert.throws(() => uwsgi.register_signal(21, "workers", 42 as any), (e: unknown) =>
    e instanceof InvalidSignal && e.code === "InvalidSignal" && e.message === "signal 21 handler must be a function: got 42");
  assert.throws(() => registerSignal(22, "", "fn" as any), { message: 'signal 22 handler must be a function: got "fn"' });
});

test("a signal number that is NaN or Infinity is named as such", () => {
  assert.throws(() => registerSignal(NaN, "", () => {}), { code: "InvalidSignal", message: "signal number must be an integer 0..255: got NaN" });
  assert.throws(() => uwsgi.signal(Infinity), { message: "signal number must be an integer 0..255: got Infinity" });
});

test("the uwsgi default export carries every function the module exports by name", async () => {
  const named = await import("../../../core/api/uwsgi.ts");
  const missing = Object.keys(named).filter((k) => k !== "default" && !(k in (uwsgi as any)));
  assert.deepEqual(missing, []);
  assert.equal(typeof uwsgi.add_ms_timer, "function");
});
