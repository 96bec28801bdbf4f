/**
 * mulefarm's idiomatic API.
 *
 * @example
 * import { Mule, Farm, spool, timer, cron } from "mulefarm";
 * await new Mule(1).send("hello");
 */
export * from "./process.ts";
export * from "./mules.ts";
export * from "./signals.ts";
export * from "./lifecycle.ts";
export * from "./rpc.ts";
export * from "./shared.ts";
export * from "./spool.ts";
export * from "./tasks.ts";
export * from "../errors.ts";
