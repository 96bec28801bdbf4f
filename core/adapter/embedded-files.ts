// Files carried inside the executable. Under Bun they are embedded by
// `type: "file"` imports and read from /$bunfs in the compiled binary; Deno
// cannot embed (null): embed/ reads them from disk.
import { runtimeName } from "./runtime.ts";

// Literal specifier: Bun's bundler follows it into the compiled binary; it is only evaluated under Bun.
export const embeddedFiles: Record<string, string> | null = runtimeName === "bun"
  ? (await import("./bun/embedded-files.ts")).FILES
  : null;
