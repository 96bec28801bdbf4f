import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { parseTarget } from "../../../core/signals/targets.ts";
import type { Config } from "../../../core/config.ts";

const config = (farms: Array<[string, number[]]>) => ({ mules: [{}, {}, {}], http: undefined, processes: 1, spoolers: [], farms: farms.map(([name, mules]) => ({ name, mules })) }) as unknown as Config;

test("signal target farmN is the N-th --farm, as in uWSGI", () => {
  const c = config([["video", [1]], ["audio", [2, 3]]]);
  assert.deepEqual(parseTarget("farm2", c), { text: "farm:audio", kind: "farm", farm: "audio" });
  assert.deepEqual(parseTarget("farm_video", c), { text: "farm:video", kind: "farm", farm: "video" });
});

test("a farm named farm2 wins over the index, and farm3 of two farms is a named error", () => {
  const c = config([["farm2", [1]], ["audio", [2]]]);
  assert.deepEqual(parseTarget("farm2", c), { text: "farm:farm2", kind: "farm", farm: "farm2" });
  assert.throws(() => parseTarget("farm3", c), { name: "InvalidTarget", message: 'signal target "farm3" names farm 3 but there are 2 farms' });
});
