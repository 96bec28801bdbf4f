import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { parseIni } from "../../../cmd/ini.ts";

test("ini %(name) placeholders, $(ENV) and %d expand like uWSGI", () => {
  const text = "[uwsgi]\nbase = /srv/apps\nproject = foo\nchdir = %(base)/%(project)\nspooler = %(chdir)/tasks\nhome = $(HOME_DIR)\nhere = %d\n";
  const lines = parseIni(text, "/etc/app/site.ini", { HOME_DIR: "/home/x" });
  const get = (k: string) => lines.filter((l) => l.key === k).map((l) => l.value);
  assert.deepEqual(get("chdir"), ["/srv/apps/foo"]);
  assert.deepEqual(get("spooler"), ["/srv/apps/foo/tasks"]);
  assert.deepEqual(get("home"), ["/home/x"]);
  assert.deepEqual(get("here"), ["/etc/app/"]);
});

test("ini keys outside the [uwsgi]/[mulefarm] section are ignored and repeated keys accumulate", () => {
  const lines = parseIni("[other]\nmule = no.ts\n[mulefarm]\nmule = a.ts\nmule = b.ts\nmaster\n", "/x.ini");
  assert.deepEqual(lines.map((l) => `${l.key}=${l.value}`), ["mule=a.ts", "mule=b.ts", "master=true"]);
});
