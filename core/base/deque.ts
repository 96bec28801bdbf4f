// A FIFO with O(1) push/shift and push-front (for redelivery), array-backed.
export class Deque<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }
  push(x: T): void {
    this.items.push(x);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  /** Puts `xs` back in front, keeping their order. */
  unshiftAll(xs: T[]): void {
    if (!xs.length) return;
    this.items = [...xs, ...this.items.slice(this.head)];
    this.head = 0;
  }
  drain(): T[] {
    const out = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return out;
  }
}
