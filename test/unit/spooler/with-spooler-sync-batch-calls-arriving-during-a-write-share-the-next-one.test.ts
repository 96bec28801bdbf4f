// --spooler-sync batch: while one write (and its fsync) is in flight, the
// calls that arrive wait for it and are then written together, in one write;
// each gets its own ids and wake note back. An isolated call waits for nothing.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { GroupCommit } from "../../../core/spooler/file/group-commit.ts";
import type { Accepted, NewTask } from "../../../core/spooler/store.ts";

test("calls arriving during a write are written together once it ends, each with its own ids", async () => {
  const writes: string[][] = [];
  let release: (() => void) | null = null;
  const gc = new GroupCommit(async (tasks: NewTask[]): Promise<Accepted> => {
    writes.push(tasks.map((t) => t.name));
    if (writes.length === 1) await new Promise<void>((r) => { release = r; }); // the first write's fsync takes a while
    return { ids: tasks.map((t) => `id-${t.name}`), wake: tasks.map((t) => `name-${t.name}`).join("\n") };
  });
  const a = gc.submit([{ name: "a" }]);
  await Promise.resolve();
  assert.deepEqual(writes, [["a"]], "an isolated call is written at once");
  const b = gc.submit([{ name: "b1" }, { name: "b2" }]);
  const c = gc.submit([{ name: "c" }]);
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(writes, [["a"]], "b and c wait for the write in flight");
  release!();
  assert.deepEqual(await a, { ids: ["id-a"], wake: "name-a" });
  assert.deepEqual(await b, { ids: ["id-b1", "id-b2"], wake: "name-b1\nname-b2" });
  assert.deepEqual(await c, { ids: ["id-c"], wake: "name-c" });
  assert.deepEqual(writes, [["a"], ["b1", "b2", "c"]], "one shared write for b and c");
});

test("a failed shared write rejects every call in it, and the next call writes again", async () => {
  let n = 0;
  const gc = new GroupCommit(async (tasks: NewTask[]): Promise<Accepted> => {
    if (n++ === 0) throw new Error("EIO");
    return { ids: tasks.map((t) => t.name), wake: "" };
  });
  await assert.rejects(gc.submit([{ name: "x" }]), /EIO/);
  assert.deepEqual((await gc.submit([{ name: "y" }])).ids, ["y"]);
});
