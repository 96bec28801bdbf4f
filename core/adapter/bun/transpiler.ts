// Bun: Bun.Transpiler, one for .ts and one for .tsx.
import type { NativeTranspiler } from "../types.ts";

export function bunTranspiler(): NativeTranspiler {
  const B = (globalThis as any).Bun;
  const ts = new B.Transpiler({ loader: "ts", target: "browser" });
  const tsx = new B.Transpiler({ loader: "tsx", target: "browser" });
  return { name: "Bun.Transpiler", transform: (src, file) => (file.endsWith(".tsx") ? tsx : ts).transformSync(src) };
}
