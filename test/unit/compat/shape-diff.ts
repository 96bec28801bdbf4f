// The comparison of two JSON documents' shapes (keys and JSON types,
// recursively), for the tests that hold mulefarm's stats document against uWSGI's.
export const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/**
 * Where `ours` lacks a key of `theirs` or has it with another JSON type, as
 * "path: expected T, got U" lines. Extra keys of `ours` are fine. Each element
 * of an array of `ours` is compared with the first element of `theirs`'s;
 * objects under a key in `dynamic` (uWSGI's locks: {"<name>": pid}) are
 * compared by their values' types only.
 */
export function shapeDiff(theirs: unknown, ours: unknown, path = "", dynamic = new Set<string>()): string[] {
  const [t, o] = [kind(theirs), kind(ours)];
  if (t !== o) return [`${path || "(top)"}: expected ${t}, got ${o}`];
  if (t === "array") {
    const ta = theirs as unknown[], oa = ours as unknown[];
    if (!ta.length) return [];
    if (!oa.length) return [`${path}: expected a non-empty array (uWSGI's has ${ta.length}), got []`];
    return oa.flatMap((x, i) => shapeDiff(ta[0], x, `${path}[${i}]`, dynamic));
  }
  if (t !== "object") return [];
  const to = theirs as Record<string, unknown>, oo = ours as Record<string, unknown>;
  const last = path.replace(/\[\d+\]$/, "").split(".").at(-1)!;
  if (dynamic.has(last)) {
    const want = new Set(Object.values(to).map(kind));
    return Object.entries(oo).filter(([, v]) => !want.has(kind(v))).map(([k, v]) => `${path}.${k}: expected ${[...want].join("|")}, got ${kind(v)}`);
  }
  return Object.keys(to).flatMap((k) => (k in oo ? shapeDiff(to[k], oo[k], path ? `${path}.${k}` : k, dynamic) : [`${path ? `${path}.` : ""}${k}: missing (uWSGI has ${kind(to[k])})`]));
}
