// What mulefarm runs with no options at all: the embedded defaults
// (embed/defaults.ini, the demo of examples/). A one-file app build puts its
// own ini there instead; options given on the command line still override.
export const EMBEDDED_INI = "embedded:defaults.ini";

export function embeddedArgs(argv: string[]): string[] {
  return argv.length === 0 ? ["--ini", EMBEDDED_INI] : [];
}
