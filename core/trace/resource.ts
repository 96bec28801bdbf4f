// Who made a span: the resource every span of this process carries. Each
// process of an instance is its own service instance (the parent/child links
// of one trace cross processes), named by host and pid; OTEL_SERVICE_NAME and
// OTEL_RESOURCE_ATTRIBUTES win over these defaults.
import { hostname } from "node:os";
import { envDetector, detectResources, resourceFromAttributes, type Resource } from "@opentelemetry/resources";
import { adapter, runtimeName } from "../adapter/index.ts";
import { ctx } from "../runtime/context.ts";
import { VERSION } from "../version.ts";

/** `role`: what this process is when ctx does not say (the master). */
export function processResource(role: string = ctx.role): Resource {
  const host = hostname();
  const ours = resourceFromAttributes({
    "service.name": "mulefarm",
    "service.version": VERSION,
    "service.instance.id": `${host}:${process.pid}`,
    "host.name": host,
    "process.pid": process.pid,
    "process.runtime.name": runtimeName,
    "process.runtime.version": adapter.version.replace(/^\S+ /, ""), // "bun 1.4.5" → "1.4.5"
    "mulefarm.role": role,
    "mulefarm.id": ctx.id,
    "mulefarm.master.pid": ctx.masterPid || process.pid,
  });
  return ours.merge(detectResources({ detectors: [envDetector] }));
}
