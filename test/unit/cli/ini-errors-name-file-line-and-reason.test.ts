import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { parseIni } from "../../../cmd/ini.ts";

test("an unknown placeholder names the file, the line and the placeholder", () => {
  assert.throws(() => parseIni("[uwsgi]\nchdir = %(nope)/x\n", "/a/b.ini"), { code: "IniError", message: "/a/b.ini:2: unknown placeholder %(nope)" });
});

test("a line outside any section is an error naming file and line", () => {
  assert.throws(() => parseIni("processes = 2\n", "/a/b.ini"), { message: /^\/a\/b\.ini:1: "processes = 2" is outside any section/ });
});

test("a broken section header is an error naming file and line", () => {
  assert.throws(() => parseIni("[uwsgi\n", "/a/b.ini"), { message: /^\/a\/b\.ini:1: section header must end with "\]"/ });
});

test("a file without a [uwsgi] or [mulefarm] section is an error", () => {
  assert.throws(() => parseIni("[app]\nx = 1\n", "/a/b.ini"), { message: "/a/b.ini: no [uwsgi] or [mulefarm] section" });
});
