import assert from "node:assert/strict";
import { createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import { test } from "../../harness.ts";
import { AlsContextManager } from "../../../core/trace/context-manager.ts";

const KEY = createContextKey("unit");

test("the active context follows awaits and timers inside with(), bind() carries it, and outside it is the root again", async () => {
  const cm = new AlsContextManager().enable();
  const a = ROOT_CONTEXT.setValue(KEY, "a");
  const seen: unknown[] = [];
  const p = cm.with(a, async () => {
    seen.push(cm.active().getValue(KEY));
    await new Promise((r) => setTimeout(r, 5));
    seen.push(cm.active().getValue(KEY));
    await new Promise<void>((r) => queueMicrotask(r));
    seen.push(cm.active().getValue(KEY));
    return cm.active().getValue(KEY);
  });
  assert.equal(cm.active(), ROOT_CONTEXT, "with() left nothing active behind it");
  assert.equal(await p, "a");
  assert.deepEqual(seen, ["a", "a", "a"]);
  const bound = cm.bind(ROOT_CONTEXT.setValue(KEY, "b"), () => cm.active().getValue(KEY));
  assert.equal(bound(), "b");
  assert.equal(cm.bind(a, 42), 42, "only functions are bound");
  cm.disable();
});
