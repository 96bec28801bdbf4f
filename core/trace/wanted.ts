// Whether this process should trace: the standard OpenTelemetry variables
// decide, read once at start. An endpoint must be named (the exporter's
// default, localhost:4318, is never assumed: an instance without the
// variables must send nothing anywhere), and OTEL_SDK_DISABLED=true or
// OTEL_TRACES_EXPORTER=none turn it off again.

export function tracingWanted(env: Record<string, string | undefined> = process.env): boolean {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return false;
  if ((env.OTEL_SDK_DISABLED ?? "").trim().toLowerCase() === "true") return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? "otlp").toLowerCase().split(",").map((s) => s.trim());
  return !exporters.includes("none");
}
