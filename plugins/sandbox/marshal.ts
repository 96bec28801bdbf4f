/**
 * Value marshalling between host and guest. Values cross the boundary as a
 * JSON string, or `[json, [ArrayBuffer…]]` when binary data is inside
 * (placeholders `{"\u0000b": index}`); prelude.ts's `enc`/`dec` are the
 * guest side of the same format.
 *
 * @module
 */
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core";

const BIN = "\u0000b";

/** Host value → guest handle (JSON string, or [json, [ArrayBuffer…]]). Caller disposes. */
export function encode(ctx: QuickJSContext, v: unknown): QuickJSHandle {
  if (v === undefined) return ctx.undefined;
  const bufs: ArrayBuffer[] = [];
  const json = JSON.stringify(v, function (this: Record<string, unknown>, k: string, x: unknown) {
    const raw = this[k];
    if (raw instanceof Uint8Array || raw instanceof ArrayBuffer || ArrayBuffer.isView(raw)) {
      const u = raw instanceof ArrayBuffer ? new Uint8Array(raw) : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
      bufs.push(u.slice().buffer);
      return { [BIN]: bufs.length - 1 };
    }
    if (typeof x === "bigint") return x.toString();
    return x;
  });
  if (json === undefined) return ctx.undefined;
  if (!bufs.length) return ctx.newString(json);
  const arr = ctx.newArray();
  ctx.newString(json).consume((h) => ctx.setProp(arr, 0, h));
  const list = ctx.newArray();
  bufs.forEach((b, i) => ctx.newArrayBuffer(b).consume((h) => ctx.setProp(list, i, h)));
  ctx.setProp(arr, 1, list);
  list.dispose();
  return arr;
}

/** Guest encoded value → host value. Does not dispose `h`. */
export function decode(ctx: QuickJSContext, h: QuickJSHandle): unknown {
  const t = ctx.typeof(h);
  if (t === "undefined") return undefined;
  if (t === "string") return JSON.parse(ctx.getString(h));
  if (t !== "object") throw new TypeError("sandbox: malformed value from guest");
  const jsonH = ctx.getProp(h, 0);
  const listH = ctx.getProp(h, 1);
  try {
    if (ctx.typeof(jsonH) !== "string") throw new TypeError("sandbox: malformed value from guest");
    const n = ctx.getLength(listH) ?? 0;
    const bufs: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const bH = ctx.getProp(listH, i);
      try {
        const lt = ctx.getArrayBuffer(bH);
        bufs.push(lt.value.slice());
        lt.dispose();
      } finally { bH.dispose(); }
    }
    return JSON.parse(ctx.getString(jsonH), (_k, v) => {
      if (v !== null && typeof v === "object" && typeof v[BIN] === "number" && Object.keys(v).length === 1) {
        const b = bufs[v[BIN]];
        if (!b) throw new TypeError("sandbox: malformed binary reference from guest");
        return b;
      }
      return v;
    });
  } finally { jsonH.dispose(); listH.dispose(); }
}
