// The Redis store's own error lives in core/errors.ts with every other class
// (errorFromCode must know it); this name stays for the store's imports.
export { RedisNotDurable } from "../../errors.ts";
