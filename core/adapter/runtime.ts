// The one detector: which runtime runs this process. Every runtime-specific
// file of core/adapter/ is chosen by it, and nothing outside core/adapter/
// asks the question. It loads nothing and throws nothing, so scripts that
// also run under Node (the sandbox's footprint and self-test) can import it.
const g = globalThis as any;

export const runtimeName: "bun" | "deno" | "node" = g.Bun ? "bun" : g.Deno ? "deno" : "node";

/** True inside a `bun build --compile` executable (its modules live under /$bunfs). */
export const compiled: boolean = runtimeName === "bun" && String(g.Bun.main).startsWith("/$bunfs");
