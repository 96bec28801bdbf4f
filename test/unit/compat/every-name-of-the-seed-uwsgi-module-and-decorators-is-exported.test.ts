import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import * as uwsgiNamed from "../../../core/api/uwsgi.ts";
import uwsgi from "../../../core/api/uwsgi.ts";
import * as decorators from "../../../core/api/uwsgidecorators.ts";
import { SEED_003_DECORATORS, SEED_004_UWSGI } from "./seed-names.ts";

test("the checked list holds seed 004's 128 names and the getoption/setoption aliases", () => {
  assert.equal(new Set(SEED_004_UWSGI).size, 130);
});

for (const name of SEED_004_UWSGI) {
  test(`mulefarm/uwsgi exports ${name}, by name and on its default export`, () => {
    assert.ok(name in uwsgiNamed, `named export ${name}`);
    assert.ok(name in uwsgi, `default export's ${name}`);
    assert.notEqual((uwsgiNamed as any)[name], undefined);
  });
}

for (const name of SEED_003_DECORATORS) {
  test(`mulefarm/uwsgidecorators exports ${name} as a function`, () => {
    assert.equal(typeof (decorators as any)[name], "function");
  });
}
