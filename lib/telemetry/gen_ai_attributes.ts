/**
 * OpenTelemetry GenAI semantic-convention attributes from a request record, shared by the request span and
 * the span of the upstream call that answered. Only names, numbers and classes: never a body or a key.
 */
import type { Attributes } from "@opentelemetry/api";
import type { RequestRecord } from "../log/request_record.ts";

/** `gen_ai.provider.name` (and the older `gen_ai.system`): every upstream is OpenCode. */
export const GEN_AI_PROVIDER = "opencode";

export function genAiAttributes(record: RequestRecord): Attributes {
  const usage = record.usage ?? {};
  const attributes: Attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": GEN_AI_PROVIDER,
    "gen_ai.system": GEN_AI_PROVIDER,
    "gen_ai.request.model": record.model,
    "gen_ai.response.model": record.fallback ? record.upstreamModel : record.upstreamModel ?? record.model,
    "gen_ai.usage.input_tokens": usage.input_tokens,
    "gen_ai.usage.output_tokens": usage.output_tokens,
    "gen_ai.usage.cache_read.input_tokens": usage.cache_read_input_tokens,
    "gen_ai.usage.cache_creation.input_tokens": usage.cache_creation_input_tokens,
    "opencode.service": record.service,
    "opencode.family": record.family,
    "opencode.cost_usd": record.costUsd,
    "opencode.retries": record.retries || undefined,
    "opencode.fallback": record.fallback,
    "opencode.request_id": record.id,
  };
  for (const [key, value] of Object.entries(attributes)) if (value === undefined) delete attributes[key];
  return attributes;
}
