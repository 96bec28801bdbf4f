import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import uwsgi, * as named from "../../../core/api/uwsgi.ts";
import { erlang } from "../../../core/api/uwsgidecorators.ts";
import { NotSupported } from "../../../core/errors.ts";
import { NOT_SUPPORTED } from "./seed-names.ts";

for (const name of NOT_SUPPORTED) {
  test(`uwsgi.${name}() throws NotSupported naming it and saying why`, () => {
    for (const f of [(named as any)[name], (uwsgi as any)[name]]) {
      assert.throws(() => f(1, "x"), (e: any) => e instanceof NotSupported && e.code === "NotSupported" && new RegExp(`^uwsgi\\.${name} is not supported: .{10,}`).test(e.message));
    }
  });
}

test("uwsgidecorators' erlang(name)(fn) throws NotSupported", () => {
  assert.throws(() => erlang("proc")(() => 0), (e: any) => e.code === "NotSupported" && /erlang/.test(e.message));
});
