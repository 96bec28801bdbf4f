// The two big areas of a cache file (values, long keys): fixed-size blocks,
// one per item slot, split over ≤ 1 GiB mapped segments.

/** An area of fixed-size blocks split over mapped segments. */
export class Blocks {
  readonly per: number; // blocks per segment
  constructor(readonly segs: Uint8Array[], readonly stride: number, count: number) {
    this.per = segs.length > 1 ? segs[0].byteLength / stride : Math.max(count, 1);
  }
}
