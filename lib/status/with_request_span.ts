/**
 * One span per gateway request, active while the route runs (so the upstream calls' spans are its children)
 * and ended when the record is final: after a streamed body ends, with the GenAI attributes of what happened.
 */
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { recordFor } from "../log/request_record.ts";
import type { Handler } from "../http/with_request_log.ts";
import { routeLabel } from "./request_stats.ts";
import { genAiAttributes } from "../telemetry/gen_ai_attributes.ts";
import { tracer } from "../telemetry/tracer.ts";
import { endUpstreamSpan } from "../telemetry/upstream_span.ts";

export function withRequestSpan(handler: Handler): Handler {
  return (request) =>
    tracer.startActiveSpan(`gateway ${request.method}`, { kind: SpanKind.INTERNAL }, async (span) => {
      let response: Response;
      try {
        response = await handler(request);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        span.end();
        throw error;
      }
      const record = recordFor(request);
      if (!record) {
        span.end();
        return response;
      }
      const finish = () => {
        // Without an exporter (no OTEL_DENO) every span is a no-op: its attributes would be built for nothing.
        if (!span.isRecording()) {
          endUpstreamSpan(record);
          span.end();
          return;
        }
        const route = routeLabel(record.path);
        span.updateName(record.model ? `chat ${record.model}` : `gateway ${request.method} ${route}`);
        span.setAttributes({
          ...(record.model ? genAiAttributes(record) : {}),
          "http.request.method": request.method,
          "http.route": route,
          "http.response.status_code": record.status ?? 0,
        });
        if (record.error) {
          span.setAttribute("error.type", record.error.upstreamType ?? record.error.type);
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: record.error.upstreamType ?? record.error.type,
          });
        }
        endUpstreamSpan(record);
        span.end();
      };
      if (record.streamDone) record.streamDone.then(finish);
      else finish();
      return response;
    });
}
