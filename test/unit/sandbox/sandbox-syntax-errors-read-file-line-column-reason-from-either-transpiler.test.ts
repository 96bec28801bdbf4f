// A TypeScript plugin or light mule that does not parse: Bun.Transpiler and
// esbuild (Deno) throw differently shaped errors (Bun: a BuildMessage with a
// `position` whose offset is in bytes, or an AggregateError of them; esbuild:
// `errors[i].location` with a 0-based byte column), and under Deno the line
// read "F:?:?: undefined". Both now give FILE:LINE:COLUMN: reason, 1-based,
// the column in characters, the first error only, in esbuild's words.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { ensureTranspiler, syntaxErrorAt, transpile } from "../../../plugins/sandbox/transpile.ts";

const fails = (source: string, file = "/app/p.ts") => {
  try { transpile(source, file); } catch (e) { return (e as Error).message; }
  throw new Error(`${JSON.stringify(source)} transpiled`);
};

test("errors shaped as each transpiler throws them read the same", () => {
  const source = "let é = 1;\nlet x = ;\n";
  const bun = Object.assign(new Error("Unexpected ;"), { name: "BuildMessage", position: { file: "input.ts", line: 2, column: 9, offset: 20, lineText: "let x = ;" } });
  const bunMany = new AggregateError([bun, { message: "Unexpected end of file", position: { line: 2, column: 10, offset: 22 } }], "Parse error");
  const esbuild = Object.assign(new Error('Transform failed with 1 error:\n/app/p.ts:2:8: ERROR: Unexpected ";"'), {
    errors: [{ text: 'Unexpected ";"', location: { file: "/app/p.ts", line: 2, column: 8, lineText: "let x = ;" }, notes: [] }],
  });
  for (const e of [bun, bunMany, esbuild]) assert.equal(syntaxErrorAt(e, source, "/app/p.ts"), '/app/p.ts:2:9: Unexpected ";"');
  // Columns count characters, not bytes; end of file is after the last newline.
  const wide = Object.assign(new Error("x"), { errors: [{ text: 'Unexpected "€"', location: { line: 1, column: 12, lineText: "let é = 1; €" } }] });
  assert.equal(syntaxErrorAt(wide, "let é = 1; €\n", "/app/p.ts"), '/app/p.ts:1:12: Unexpected "€"');
  const eof = Object.assign(new Error("Expected identifier but found end of file"), { position: { line: 1, column: 14, offset: 14 } });
  assert.equal(syntaxErrorAt(eof, "function f( {\n", "/app/p.ts"), "/app/p.ts:2:1: Expected identifier but found end of file");
  // Nothing to place it: the file and the first line of the message.
  assert.equal(syntaxErrorAt(new Error("boom\nmore"), "", "/app/p.ts"), "/app/p.ts: boom");
});

test("in this runtime, real syntax errors give the line every runtime gives", async () => {
  await ensureTranspiler();
  const cases: Array<[string, string]> = [
    ['export function onRequest() {\n  return { status: 200 body: "x" };\n}\n', '/app/p.ts:2:24: Expected "}" but found "body"'],
    ["let x: number = ;\n", '/app/p.ts:1:17: Unexpected ";"'],
    ["const = 5;\n", '/app/p.ts:1:7: Expected identifier but found "="'],
    ["function f( {\n", "/app/p.ts:2:1: Expected identifier but found end of file"],
    ["const x = 1;\nconst x = 2;\n", '/app/p.ts:2:7: The symbol "x" has already been declared'],
    ["let é = 1; €\n", '/app/p.ts:1:12: Unexpected "€"'],
    ["/* unterminated\n", '/app/p.ts:2:1: Expected "*/" to terminate multi-line comment'],
  ];
  for (const [source, at] of cases) assert.equal(fails(source), `TypeScript syntax error: ${at}`);
});
