/**
 * The gateway's tracer. With `OTEL_DENO=true` Deno registers its OTLP exporter behind `@opentelemetry/api`
 * (and traces `Deno.serve` and `fetch` itself); without it every span here is a no-op.
 */
import { trace } from "@opentelemetry/api";
import denoJson from "../../deno.json" with { type: "json" };

export const tracer = trace.getTracer("opencode-bridge", denoJson.version);
