import { type Locks } from "../locks/index.ts";
import { type SharedArea } from "../sharedarea/index.ts";
import { type SharedQueue } from "../queue/index.ts";
export declare function theLocks(): Locks;
export declare function theSharedArea(): SharedArea;
export declare function theQueue(): SharedQueue;
