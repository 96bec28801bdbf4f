// Bun only (from source and compiled): every embedded file, as a path that
// works inside the executable (`/$bunfs/root/...`). Keep in sync with
// EMBEDDED_NAMES in embed/index.ts (the unit test checks both). Deno rejects
// `type: "file"`, so ../embedded-files.ts imports this module under Bun only.
// @ts-ignore: Bun file import (no type declarations for .ini)
import defaultsIni from "../../../embed/defaults.ini" with { type: "file" };
// @ts-ignore: Bun file import
import readme from "../../../embed/README.md" with { type: "file" };
// @ts-ignore: Bun file import of a .d.ts as data
import sandboxGuest from "../../../embed/sandbox-guest.d.ts" with { type: "file" };

export const FILES: Record<string, string> = {
  "defaults.ini": defaultsIni as unknown as string,
  "README.md": readme as unknown as string,
  "sandbox-guest.d.ts": sandboxGuest as unknown as string,
};
