export declare class Deque<T> {
    private items;
    private head;
    get length(): number;
    push(x: T): void;
    shift(): T | undefined;
    peek(): T | undefined;
    /** Puts `xs` back in front, keeping their order. */
    unshiftAll(xs: T[]): void;
    drain(): T[];
}
