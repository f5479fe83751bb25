/**
 * One span per upstream attempt (kind CLIENT, named `chat <upstream model>`). A failed attempt's span ends
 * with its error class; the one that answered stays open until the request's record is final, so it spans
 * the streamed body and carries the usage.
 */
import { type Span, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { UpstreamCall } from "../hub/wire_format.ts";
import type { RequestRecord } from "../log/request_record.ts";
import { GEN_AI_PROVIDER, genAiAttributes } from "./gen_ai_attributes.ts";
import { tracer } from "./tracer.ts";

const answering = new WeakMap<RequestRecord, Span>();

/** Runs one upstream attempt inside its span. */
export function withUpstreamSpan(
  call: UpstreamCall,
  record: RequestRecord | undefined,
  attempt: () => Promise<Response>,
): Promise<Response> {
  const model = call.model;
  const host = hostOf(model.baseUrl);
  const attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": GEN_AI_PROVIDER,
    "gen_ai.system": GEN_AI_PROVIDER,
    "gen_ai.request.model": model.upstreamModel,
    "opencode.service": model.service,
    "opencode.family": model.family,
    ...(host ? { "server.address": host } : {}),
  };
  return tracer.startActiveSpan(
    `chat ${model.upstreamModel}`,
    { kind: SpanKind.CLIENT, attributes },
    async (span) => {
      try {
        const response = await attempt();
        span.setAttribute("http.response.status_code", response.status);
        if (record) {
          answering.get(record)?.end();
          answering.set(record, span);
        } else span.end();
        return response;
      } catch (error) {
        const kind = (error as { upstreamType?: unknown })?.upstreamType ??
          (error as { kind?: unknown })?.kind;
        const status = (error as { upstreamStatus?: unknown })?.upstreamStatus;
        if (typeof status === "number") span.setAttribute("http.response.status_code", status);
        span.setAttribute("error.type", typeof kind === "string" ? kind : (error as Error)?.name ?? "Error");
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
        throw error;
      }
    },
  );
}

let lastBaseUrl = "";
let lastHost: string | undefined;

/** The base URL's host name; the last one is remembered, as nearly every request goes to the same service. */
function hostOf(baseUrl: string): string | undefined {
  if (baseUrl === lastBaseUrl) return lastHost;
  let host: string | undefined;
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    host = undefined;
  }
  [lastBaseUrl, lastHost] = [baseUrl, host];
  return host;
}

/** Ends the answering attempt's span with the usage the request ended with. */
export function endUpstreamSpan(record: RequestRecord): void {
  const span = answering.get(record);
  if (!span) return;
  answering.delete(record);
  if (!span.isRecording()) return span.end();
  const attributes = genAiAttributes(record);
  span.setAttributes({
    "gen_ai.response.model": attributes["gen_ai.response.model"] ?? record.upstreamModel ?? "",
    ...pick(attributes, "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "opencode.cost_usd"),
    ...pick(attributes, "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_creation.input_tokens"),
  });
  if (record.error) {
    span.setAttribute("error.type", record.error.upstreamType ?? record.error.type);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

function pick(attributes: Record<string, unknown>, ...keys: string[]) {
  const out: Record<string, number> = {};
  for (const key of keys) if (typeof attributes[key] === "number") out[key] = attributes[key] as number;
  return out;
}
